"""An editor uploads a policy file in the admin, corrects its region in the preview and imports it;
its measures are then found by the site's search and on the compare page.

Set ``E2E_SCREENSHOTS`` to a folder to keep screenshots of the preview (desktop and phone width).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from documents.models import Document
from measures.models import Measure

try:
    from playwright.sync_api import expect
except ImportError:  # the tests are skipped (or, with CI set, fail in the page fixture)
    expect = None

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_TITLE = "建设冷链物流枢纽"
POLICY = """市商务局关于支持冷链物流发展的若干措施

一、总体安排
（一）建设冷链物流枢纽。支持企业建设冷链物流枢纽和冷库，对新建冷库给予资金补助。（市商务局牵头，市财政局配合）
（二）培育冷链骨干企业。支持冷链企业上市融资，给予贷款贴息。（市地方金融监管局负责）
（三）加强冷链人才培养。支持高校开设冷链物流专业。（市教育局负责）

市商务局
2024年3月8日
"""


def screenshot(page, name: str) -> None:
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def log_in(page) -> None:
    get_user_model().objects.create_superuser("editor", "editor@example.com", "e2e-password-42")
    page.goto("/admin/")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill("e2e-password-42")
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_upload_preview_correct_and_import_then_search_and_compare(page, tmp_path):
    source = tmp_path / "冷链物流措施.txt"
    source.write_text(POLICY, encoding="utf-8")
    log_in(page)

    page.goto("/admin/documents/document/")
    page.get_by_role("link", name="上传文件").click()
    page.locator("input[name=files]").set_input_files(str(source))
    page.get_by_role("button", name="上传并预览").click()

    expect(page.locator("h1")).to_have_text("导入预览")
    expect(page.locator(".stage-status")).to_have_text("待确认")
    titles = page.locator(".stage-measures .measure-table summary").all_inner_texts()
    assert titles == [NEW_TITLE, "培育冷链骨干企业", "加强冷链人才培养"]
    expect(page.locator(".field-region .help")).to_have_text("未能从正文识别，请填写")
    expect(page.locator(".field-title .help")).to_contain_text("取自正文")
    page.locator(".stage-measures summary", has_text=NEW_TITLE).click()
    expect(page.locator(".stage-measures .text").first).to_contain_text("对新建冷库给予资金补助")
    screenshot(page, "preview-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "preview-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing forces sideways scrolling
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("地区").fill("珠海市")
    page.get_by_role("button", name="确认导入").click()

    expect(page.locator(".messagelist .success")).to_contain_text("新建《市商务局关于支持冷链物流发展的若干措施》")
    expect(page).to_have_url(re.compile(r"/admin/documents/document/\d+/change/$"))
    document = Document.objects.get(title="市商务局关于支持冷链物流发展的若干措施")
    assert document.region.name == "珠海市" and document.measures.count() == 3

    page.goto("/measures/?q=冷链物流枢纽")
    card = page.locator(".measure-card").filter(has_text=NEW_TITLE)
    expect(card).to_have_count(1)
    expect(card.locator(".meta")).to_contain_text("珠海市")

    theme = Measure.objects.get(title=NEW_TITLE).theme_links.filter(active=True).order_by("-score").first().theme
    page.goto("/compare/")
    page.get_by_label("主题").select_option(value=theme.code)  # labelled with its count
    for box in page.locator("input[name=region]").all():
        box.uncheck()
    page.get_by_label("珠海市", exact=True).check()
    page.get_by_role("button", name="对比", exact=True).click()
    expect(page.locator("h1")).to_have_text(f"政策对比：{theme.name}")
    cell = page.locator(".compare-table tbody td").filter(has_text=NEW_TITLE)
    expect(cell).to_have_count(1)
    columns = [text.split()[0] for text in page.locator(".compare-table thead th").all_inner_texts()]
    assert columns[cell.evaluate("td => td.cellIndex")] == "珠海市"
