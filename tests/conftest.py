"""Shared fixtures: the seed corpus, loaded once per test database.

Tests that ask for ``seed`` see the five seed documents; the corpus is
committed once for the session (each test's own changes roll back). Tests
that build their own data expect an empty database, so they run first:
``pytest_collection_modifyitems`` moves every test that uses the corpus to
the end of the run.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: "seeded_db" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def seeded_db(django_db_setup, django_db_blocker):
    """The five seed documents, imported once for the whole session (tests must not change them)."""
    from search import index

    with django_db_blocker.unblock():
        call_command("load_seed_corpus", verbosity=0)
    index.reset()  # the test that loaded the corpus reads an index built from all of it, like every other
    yield


@pytest.fixture
def seed(seeded_db, db):
    """Access to the seed corpus inside a test's transaction (rolled back after the test)."""
    return None


@pytest.fixture(autouse=True)
def search_index():
    """Each test reads its own, empty in-memory index, built from the test's database on first use."""
    from search import engine, index

    index.reset()
    engine.forget_labels()
    yield
    index.reset()


@pytest.fixture
def search_ready(db):
    """The test's index built and current, so a test counting a page's queries counts only the page's."""
    from search.applier import apply_pending

    apply_pending()
