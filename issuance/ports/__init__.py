"""issuance/ports"""
