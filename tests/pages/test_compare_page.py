"""The compare page and its Excel export: columns, alignment, gaps, query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.pages.factories import make_document, make_measure, make_theme, make_three_regions

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent():
    theme = make_theme()
    return theme, make_three_regions(theme)


def test_default_columns_and_alignment(client, talent, django_assert_num_queries):
    # theme lookup, measures + 2 prefetches, themes for the form, regions for the form
    with django_assert_num_queries(6):
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


def test_theme_by_name_regions_chosen_and_unknown_theme(client, talent):
    response = client.get(reverse("measures:compare"), {"theme": "人才培养", "region": ["广州市", "深圳市"]})
    assert [column.label for column in response.context["comparison"].columns] == ["广州市", "深圳市"]
    response = client.get(reverse("measures:compare"), {"theme": "不存在"})
    assert response.context["comparison"] is None
    assert "未找到主题" in response.content.decode()


def test_compare_by_document(client, talent, django_assert_num_queries):
    theme, measures = talent
    extra = make_document(region="深圳市", year=2013, title="深圳旧措施")
    make_measure(extra, "电商人才培训", "开展跨境电商人才培训。", theme=theme)
    ids = [measures["深圳市"][0].document_id, extra.pk]
    # + the documents for the column labels, - the regions (no region checkboxes in document mode)
    with django_assert_num_queries(6):
        response = client.get(reverse("measures:compare"), {"theme": "talent", "document": ids})
    labels = [column.label for column in response.context["comparison"].columns]
    assert labels[0].startswith("深圳市人才措施") and labels[1].startswith("深圳旧措施")


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
