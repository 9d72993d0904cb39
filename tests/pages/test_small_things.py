"""A favicon on every page, and the search form leaving empty parameters out of the URL (site.js, no inline script)."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_links_a_favicon_that_exists(client):
    body = client.get(reverse("measures:home")).content.decode()
    assert 'rel="icon"' in body and "favicon.svg" in body
    path = finders.find("img/favicon.svg")
    assert path and Path(path).read_text(encoding="utf-8").startswith("<svg")


def test_search_form_omits_empty_fields_through_site_js(client):
    body = client.get(reverse("measures:list")).content.decode()
    assert 'class="search-form" method="get" action="" role="search" data-omit-empty' in body
    assert "js/site.js" in body
    assert "<script>" not in body  # the CSP allows no inline script
    script = Path(finders.find("js/site.js")).read_text(encoding="utf-8")
    assert "form[data-omit-empty]" in script and "disabled = true" in script
