"""issuance/domain"""
