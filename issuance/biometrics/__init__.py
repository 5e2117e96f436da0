"""issuance/biometrics"""
