"""issuance/queries"""
