"""issuance/services"""
