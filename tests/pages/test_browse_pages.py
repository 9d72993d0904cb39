"""Home, themes, theme, measure, department and document pages, and the measure list exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.pages.factories import make_document, make_measure, make_theme, make_three_regions

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    theme = make_theme()
    return theme, make_three_regions(theme)


def test_home_matrix_chart_and_numbers(client, data, django_assert_num_queries):
    # themes, regions, matrix counts, recent, 3 numbers, yearly chart
    with django_assert_num_queries(8):
        response = client.get(reverse("measures:home"))
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "?theme=talent&amp;region=%E6%B7%B1%E5%9C%B3%E5%B8%82" in html  # 深圳市 cell links to the list
    assert 'class="heat-5"' in html and "<svg" in html
    assert response.context["numbers"]["measures"] == 6


def test_theme_pages(client, data, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("measures:themes")).status_code == 200
    with django_assert_num_queries(5):  # theme, count, page + 2 prefetches
        response = client.get(reverse("measures:theme", args=["talent"]))
    regions = [measure.document.region.name for measure in response.context["page"]]
    assert regions == sorted(regions, key=regions.index)  # grouped: each region in one run


def test_measure_page(client, data, django_assert_num_queries):
    measure = data[1]["深圳市"][0]
    # measure + 2 prefetches, neighbours, similarity pool
    with django_assert_num_queries(5):
        response = client.get(measure.get_absolute_url())
    html = response.content.decode()
    assert "《深圳市人才措施》（深府〔2022〕1号）第（一）项" in html
    assert reverse("measures:department", args=[measure.department_links.first().organization_id]) in html
    similar = response.context["similar"]
    assert similar and similar[0][0].title in {"加强人才培训", "完善人才培训体系"}
    assert all(other.document.region.name != "深圳市" for other, _ in similar)
    assert response.context["next"].title == "引进海外高层次人才" and response.context["previous"] is None


def test_department_page(client, data, django_assert_num_queries):
    organization = data[1]["深圳市"][0].department_links.first().organization
    with django_assert_num_queries(5):  # organization, count, page + theme prefetch, role totals
        response = client.get(reverse("measures:department", args=[organization.pk]))
    assert response.context["groups"][0]["theme"].code == "talent"
    assert "培养跨境电商人才" in response.content.decode()


def test_document_list_filters_and_sort(client, data, django_assert_num_queries):
    make_document(region="广州市", year=2010, title="旧文件", valid_until="2011-01-01")
    with django_assert_num_queries(4):  # count, page, form: region and issuer choices
        response = client.get(reverse("documents:list"), {"status": "expired", "sort": "title"})
    assert [d.title for d in response.context["page"]] == ["旧文件"]
    response = client.get(reverse("documents:list"), {"region": "广东省", "year_min": 2011, "year_max": 2013})
    assert [d.title for d in response.context["page"]] == ["广东省人才意见"]
    response = client.get(reverse("documents:list"), {"year_min": "abc"})
    assert "筛选条件无效" in response.content.decode()


def test_document_detail(client, data, django_assert_num_queries):
    document = data[1]["深圳市"][0].document
    with django_assert_num_queries(8):  # document, measures + 2, citations, cited by, articles, chronicle
        response = client.get(document.get_absolute_url())
    html = response.content.decode()
    assert 'id="m1"' in html and "深府〔2022〕1号" in html and "全文" in html


def test_measure_exports(client, data, django_assert_num_queries):
    response = client.get(reverse("measures:export_csv"), {"region": "深圳市"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["措施ID", "地区", "年份", "文件", "文号"]
    assert len(rows) == 4 and rows[1][4] == "深府〔2022〕1号" and rows[1][-1].startswith("http://testserver/measures/")
    assert "深圳市教育局" in rows[1][9]  # lead column
    response = client.get(reverse("measures:export_xlsx"), {"theme": "talent"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 7
    assert client.get(reverse("measures:export_csv"), {"year": "x"}).status_code == 400


def test_csv_export_defuses_formulas(client, db):
    document = make_document(title="=cmd|' /C calc'!A0")
    make_measure(document, "标题", "正文", theme=make_theme())
    body = b"".join(client.get(reverse("measures:export_csv")).streaming_content).decode("utf-8-sig")
    assert "'=cmd" in body
