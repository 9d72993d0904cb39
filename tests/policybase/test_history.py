"""Attribution of history rows outside a request."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from simple_history.models import HistoricalRecords

from policybase.history import acting_user, current_user_id

pytestmark = pytest.mark.django_db


def test_acting_user_names_the_user_and_restores_what_was_there(django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x")
    other = django_user_model.objects.create_user("other", password="x")
    assert current_user_id() is None
    with acting_user(editor):
        assert current_user_id() == editor.pk
        with acting_user(other):
            assert current_user_id() == other.pk
        assert current_user_id() == editor.pk
        with acting_user(None):  # nobody given: the outer user stays
            assert current_user_id() == editor.pk
    assert current_user_id() is None and not hasattr(HistoricalRecords.context, "request")


def test_an_anonymous_request_names_nobody():
    HistoricalRecords.context.request = SimpleNamespace(user=SimpleNamespace(is_authenticated=False, pk=None))
    try:
        assert current_user_id() is None
    finally:
        del HistoricalRecords.context.request
