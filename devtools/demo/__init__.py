"""devtools/demo"""
