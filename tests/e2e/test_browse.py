"""Real user flows in Chromium: search and filter, open a measure, compare three regions, export the comparison."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook

try:
    from playwright.sync_api import expect
except ImportError:  # the tests are skipped (or, with CI set, fail in the page fixture)
    expect = None

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REGIONS = ["深圳市", "广州市", "广东省"]


def result_count(page) -> int:
    text = page.locator(".result-bar [role=status]").inner_text()
    return int(re.search(r"(\d+)\s*条", text).group(1))


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_search_highlights_then_region_filter_narrows(page):
    page.goto("/")
    page.get_by_role("searchbox").fill("跨境电商")
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/measures/\?q="))
    assert query_of(page)["q"] == ["跨境电商"]
    expect(page.locator(".measure-card mark").first).to_have_text(re.compile("跨境电"))
    everywhere = result_count(page)
    facet = page.locator("#id_region option[value='广州市']").inner_text()  # 广州市（N）
    in_guangzhou_facet = int(re.search(r"（(\d+)）", facet).group(1))

    page.locator("#id_region").select_option("广州市")
    page.get_by_role("button", name="应用筛选").click()
    expect(page).to_have_url(re.compile("region=%E5%B9%BF%E5%B7%9E%E5%B8%82"))
    assert query_of(page)["q"] == ["跨境电商"] and query_of(page)["region"] == ["广州市"]
    in_guangzhou = result_count(page)
    assert 0 < in_guangzhou < everywhere
    assert in_guangzhou == in_guangzhou_facet  # the count the filter promised
    metas = page.locator(".measure-card > .meta").all_inner_texts()
    assert metas and all("广州市" in text for text in metas)
    expect(page.locator(".measure-card mark").first).to_be_visible()


def test_open_a_measure_from_the_results(page):
    page.goto("/measures/?q=海外仓")
    first = page.locator(".measure-card h3 a").first
    title = first.inner_text()
    assert "海外仓" in title
    first.click()
    expect(page).to_have_url(re.compile(r"/measures/\d+/$"))
    expect(page.locator("h1")).to_have_text(title)
    citation = page.locator("#citation").inner_text()
    assert citation.startswith("《深圳市推动跨境电子商务高质量发展行动方案") and citation.endswith("项")
    departments = page.locator("dl.facts").inner_text()
    assert "深圳市商务局" in departments and "负责部门" in departments
    page.get_by_role("link", name=re.compile("深圳市商务局")).first.click()
    expect(page.locator("h1")).to_contain_text("深圳市商务局")


def build_comparison(page, theme: str, code: str) -> None:
    page.goto("/compare/")
    page.get_by_label("主题").select_option(value=code)  # labelled with the count: 人才（7）
    for box in page.locator("input[name=region]").all():
        box.uncheck()
    for region in REGIONS:
        page.get_by_label(region, exact=True).check()
    page.get_by_role("button", name="对比", exact=True).click()
    expect(page.locator("h1")).to_have_text(f"政策对比：{theme}")


def test_compare_three_regions_and_export_to_excel(page, tmp_path):
    build_comparison(page, "人才", "talent")
    assert sorted(query_of(page)["region"]) == sorted(REGIONS) and query_of(page)["theme"] == ["talent"]
    headers = page.locator(".compare-table thead th")
    expect(headers).to_have_count(3)
    labels = [text.split()[0] for text in headers.all_inner_texts()]
    assert sorted(labels) == sorted(REGIONS)
    counts = [int(re.search(r"(\d+) 条", text).group(1)) for text in headers.all_inner_texts()]
    assert all(counts)
    rows = page.locator(".compare-table tbody tr")
    assert rows.count() >= max(counts)
    assert page.locator(".compare-table td.gap").count() > 0  # 「无对应措施」 cells

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename == "compare-talent.xlsx"
    path = tmp_path / "compare.xlsx"
    download.value.save_as(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["对比", "差异", "措施来源"]
    sheet = list(workbook["对比"].values)
    assert list(sheet[0][1:4]) == labels
    assert len([row for row in sheet[1:] if row and isinstance(row[0], int)]) == rows.count()
    sources = list(workbook["措施来源"].values)
    assert len(sources) == 1 + sum(counts)
    assert {row[1] for row in sources[1:]} == set(REGIONS)
    assert all(row[-1].startswith(page.url.split("/compare/")[0] + "/measures/") for row in sources[1:])


def test_browse_a_sub_domain_and_filter_the_list_by_it(page):
    page.goto("/themes/")
    domains = page.locator("section", has=page.locator("h2#domain"))
    domains.get_by_role("link", name="跨境电子商务", exact=True).click()
    expect(page.locator("h1")).to_have_text("跨境电子商务")
    expect(page.locator(".breadcrumbs")).to_contain_text("商贸、海关、旅游")
    expect(page.locator(".measure-card .theme-reason").first).to_contain_text(re.compile("依据：|人工设定"))
    total = int(re.search(r"共 (\d+) 条", page.locator("main > p.meta").inner_text()).group(1))
    page.get_by_role("link", name="在措施列表中筛选").click()
    assert query_of(page)["domain"] == ["cross_border"]
    expect(page.locator("#id_domain option:checked")).to_contain_text("跨境电子商务")
    assert result_count(page) == total
