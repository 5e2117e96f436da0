"""issuance/security"""
