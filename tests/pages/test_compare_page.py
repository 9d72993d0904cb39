"""The compare page and its Excel export: columns, alignment, gaps, the per-column cap, query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from measures import compare as compare_module
from measures.browse_selectors import corpus_frequencies, forget_frequencies
from tests.pages.factories import make_document, make_measure, make_theme, make_three_regions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_frequencies():
    # The estimate is cached per process by the highest measure id, which SQLite reuses between tests.
    forget_frequencies()
    yield
    forget_frequencies()


@pytest.fixture
def talent():
    theme = make_theme()
    return theme, make_three_regions(theme)


def test_default_columns_and_alignment(client, talent, search_ready, django_assert_num_queries):
    corpus_frequencies()  # the sample is read once per process and corpus: pinned separately below
    # theme lookup, the columns' regions (each column's ids and total from the index), measures + 2
    # prefetches, latest measure id (frequency cache key), themes and regions for the form; a read of
    # pending changes per column (no background applier in tests)
    with django_assert_num_queries(12):  # + pending changes before the themes' counts (in tests only)
        response = client.get(reverse("measures:compare"), {"theme": "talent"})
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [column.label for column in comparison.columns] == ["深圳市", "广州市", "广东省"]
    rows = {tuple(cell.item.title if cell else None for cell in row.cells) for row in comparison.rows}
    assert ("培养跨境电商人才", "加强人才培训", "完善人才培训体系") in rows
    assert ("引进海外高层次人才", "落实人才住房政策", None) in rows
    assert ("建设直播电商基地", None, None) in rows
    html = response.content.decode()
    assert "无对应措施" in html
    assert "<mark>" in html
    assert "深圳市教育局" in html  # lead department in the cell
    assert "差异：各列独有的措施" in html
    assert "每列只对比最新的" not in html  # nothing hidden


def test_frequency_sample_is_read_once(client, talent, search_ready, django_assert_num_queries):
    with django_assert_num_queries(13):  # + the sample of stored tokens
        client.get(reverse("measures:compare"), {"theme": "talent"})
    with django_assert_num_queries(12):
        client.get(reverse("measures:compare"), {"theme": "talent"})


def test_columns_are_capped_newest_first_and_the_page_says_so(
    client, talent, monkeypatch, search_ready, django_assert_max_num_queries
):
    theme, _ = talent
    newer = make_document(region="深圳市", year=2024, title="深圳市新人才措施")
    make_measure(newer, "培养直播电商人才", "开展直播电商人才培训，建设实训基地。", theme=theme)
    monkeypatch.setattr(compare_module, "ITEM_BUDGET", 6)
    monkeypatch.setattr(compare_module, "MIN_PER_COLUMN", 1)  # 2 per column for 3 columns
    corpus_frequencies()
    client.get(reverse("measures:compare"), {"theme": "talent"})  # the new measure reaches the index
    # theme, regions, themes with counts, frequencies' key, the measures shown + 2 prefetches, a pending
    # read per column (no background applier in tests)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("measures:compare"), {"theme": "talent"})
    columns = response.context["comparison"].columns
    assert [column.title for column in columns[0].items] == ["培养直播电商人才", "培养跨境电商人才"]
    assert [(column.total, column.hidden) for column in columns] == [(4, 2), (2, 0), (1, 0)]
    html = response.content.decode()
    assert "每列只对比最新的 2 条措施" in html and "最新 2 / 共 4 条" in html
    assert "/measures/?domain=talent&amp;region=%E6%B7%B1%E5%9C%B3%E5%B8%82" in html  # 查看全部 深圳市
    assert "广州市共" not in html  # only capped columns are listed


def test_big_columns_are_counted_exactly(client, talent, monkeypatch):
    theme, _ = talent
    newer = make_document(region="深圳市", year=2024, title="深圳市新人才措施")
    for number in range(40):
        make_measure(newer, f"人才措施{number}", "开展人才培训。", theme=theme)
    monkeypatch.setattr(compare_module, "ITEM_BUDGET", 6)
    monkeypatch.setattr(compare_module, "MIN_PER_COLUMN", 1)
    response = client.get(reverse("measures:compare"), {"theme": "talent"})
    shenzhen = response.context["comparison"].columns[0]
    assert (shenzhen.total, len(shenzhen.items)) == (43, 2)
    assert "最新 2 / 共 43 条" in response.content.decode()


def test_year_range_narrows_every_column(client, talent):
    response = client.get(reverse("measures:compare"), {"theme": "talent", "year_min": "2015", "year_max": "2020"})
    columns = response.context["comparison"].columns
    assert [len(column.items) for column in columns] == [0, 2, 0]  # only Guangzhou's 2019 document
    assert 'value="2015"' in response.content.decode()
    response = client.get(reverse("measures:compare"), {"theme": "talent", "year_min": "abc"})
    assert [len(column.items) for column in response.context["comparison"].columns] == [3, 2, 1]  # ignored


def test_theme_by_name_regions_chosen_and_unknown_theme(client, talent):
    response = client.get(reverse("measures:compare"), {"theme": "人才培养", "region": ["广州市", "深圳市"]})
    assert [column.label for column in response.context["comparison"].columns] == ["广州市", "深圳市"]
    response = client.get(reverse("measures:compare"), {"theme": "不存在"})
    assert response.context["comparison"] is None
    assert "未找到主题" in response.content.decode()


def test_compare_by_document(client, talent, search_ready, django_assert_max_num_queries):
    theme, measures = talent
    extra = make_document(region="深圳市", year=2013, title="深圳旧措施")
    make_measure(extra, "电商人才培训", "开展跨境电商人才培训。", theme=theme)
    ids = [measures["深圳市"][0].document_id, extra.pk]
    corpus_frequencies()
    client.get(reverse("measures:compare"), {"theme": "talent", "document": ids})  # the new measure reaches the index
    # as by regions, + the documents for the column labels, - the regions (no checkboxes)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("measures:compare"), {"theme": "talent", "document": ids})
    labels = [column.label for column in response.context["comparison"].columns]
    assert labels[0].startswith("深圳市人才措施") and labels[1].startswith("深圳旧措施")
    items = [[m.pk for m in column.items] for column in response.context["comparison"].columns]
    assert [len(column) for column in items] == [3, 1]


def test_excel_export_has_rows_gaps_and_sources(client, talent):
    response = client.get(reverse("measures:compare_export"), {"theme": "talent"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('compare-talent.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["对比", "差异", "措施来源"]
    rows = list(workbook["对比"].values)
    assert rows[0][1:4] == ("深圳市", "广州市", "广东省")
    assert any(row[3] == "无对应措施" for row in rows[1:] if row and len(row) > 3)
    assert any("《深圳市人才措施》（深府〔2022〕1号）" in str(cell) for row in rows for cell in row if cell)
    assert [row[1] for row in list(workbook["差异"].values)[1:]] == ["（三）建设直播电商基地"]
    assert len(list(workbook["措施来源"].values)) == 1 + 6


def test_export_without_theme_is_a_bad_request(client, db):
    assert client.get(reverse("measures:compare_export")).status_code == 400
