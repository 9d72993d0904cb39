"""Shared fixtures: the seed corpus loaded once per test database."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def seeded_db(django_db_setup, django_db_blocker):
    """The five seed documents, imported once for the whole session (tests must not change them)."""
    with django_db_blocker.unblock():
        call_command("load_seed_corpus", verbosity=0)
    yield


@pytest.fixture
def seed(seeded_db, db):
    """Access to the seed corpus inside a test's transaction (rolled back after the test)."""
    return None
