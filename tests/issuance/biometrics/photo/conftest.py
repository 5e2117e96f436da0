from __future__ import annotations

import pytest

from issuance.biometrics.photo import PhotoEvaluator
from tests.issuance.biometrics.photo import portraits


@pytest.fixture(scope="session")
def evaluator() -> PhotoEvaluator:
    return PhotoEvaluator()


@pytest.fixture(scope="session")
def good_portrait():
    return portraits.good_portrait()
