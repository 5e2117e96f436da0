"""devtools/sbi_simulator"""
