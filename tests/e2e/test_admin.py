"""An editor gives a measure a theme in the admin; the compare page for that theme then shows it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from measures.models import Measure

try:
    from playwright.sync_api import expect
except ImportError:  # the tests are skipped (or, with CI set, fail in the page fixture)
    expect = None

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "提升海外仓发展水平"  # Shenzhen 2022; classified as 跨境电子商务 only


def test_theme_added_in_admin_appears_on_the_compare_page(page):
    get_user_model().objects.create_superuser("editor", "editor@example.com", "e2e-password-42")
    measure = Measure.objects.get(title=TITLE)
    assert not measure.theme_links.filter(theme__code="talent", active=True).exists()

    page.goto("/compare/?theme=talent&region=深圳市")
    expect(page.locator(".compare-table")).to_be_visible()
    expect(page.locator(".compare-table")).not_to_contain_text(TITLE)

    page.goto("/admin/")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill("e2e-password-42")
    page.locator("input[type=submit]").click()
    page.goto(f"/admin/measures/measure/{measure.pk}/change/")
    expect(page.locator("#content h2, #content h1").first).to_be_visible()

    # The empty inline row of the themes table: its theme is an autocomplete (select2) field.
    empty_row = page.locator("#theme_links-group tr.form-row:not(.has_original):not(.empty-form)").first
    empty_row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("人才")
    page.locator(".select2-results__option", has_text=re.compile("^人才$")).click()
    expect(empty_row.locator(".select2-selection__rendered")).to_have_text(re.compile("人才"))
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    link = measure.theme_links.get(theme__code="talent")
    assert link.active and link.source == "manual"  # a person's decision, kept by later classification

    page.goto("/compare/")
    page.get_by_label("主题").select_option(value="talent")
    page.get_by_role("button", name="对比", exact=True).click()
    columns = [text.split()[0] for text in page.locator(".compare-table thead th").all_inner_texts()]
    cell = page.locator(".compare-table tbody td").filter(has_text=TITLE)
    expect(cell).to_have_count(1)
    assert columns[cell.evaluate("td => td.cellIndex")] == "深圳市"
    cell.get_by_role("link", name=re.compile(TITLE)).click()
    expect(page.locator("dl.facts")).to_contain_text("人才")
    expect(page.locator("dl.facts")).to_contain_text("人工设定")  # why it has the theme
