"""issuance/delivery"""
