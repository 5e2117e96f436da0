"""issuance/cli"""
