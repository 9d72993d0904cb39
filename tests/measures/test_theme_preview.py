"""The theme admin: facets and parents, and the preview of what a keyword edit would change (not saved)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.models import MeasureTheme, Theme
from measures.theme_preview import keyword_preview
from measures.tokenize import index_tokens
from tests.pages.factories import make_document, make_measure, make_theme

pytestmark = pytest.mark.django_db

AUTO, MANUAL = MeasureTheme.Source.AUTO, MeasureTheme.Source.MANUAL
# Not a hit of 电子商务进农村, though its three words are all there: the keyword must occur as written.
SCATTERED = "电子商务企业进园区，服务农村。"


@pytest.fixture
def corpus():
    """A few hundred measures: 120 on 海外仓 and 40 on 跨境电商 (both linked to 跨境电子商务 now), 60 on
    独立站 and 40 on 电子商务进农村 (not linked), 40 on neither, and a few people decided about."""
    commerce = make_theme("commerce", "商贸、海关、旅游", keywords="商贸 海外仓")
    cross_border = make_theme("cross_border", "跨境电子商务", parent=commerce, keywords="跨境电商 海外仓")
    groups = {
        "warehouse": (120, "建设海外仓", "支持企业在重点市场建设海外仓。", True),
        "cross_border": (40, "发展跨境电商", "推动跨境电商企业做大做强。", True),
        "site": (60, "建设独立站", "支持企业建设独立站，拓展销售渠道。", False),
        "rural": (40, "电子商务进农村", "实施电子商务进农村综合示范。", False),
        "other": (40, "支持企业发展", "优化营商环境，支持企业发展。" + SCATTERED, False),
    }
    made = {}
    for name, (count, title, text, linked) in groups.items():
        made[name] = []
        for start in range(0, count, 20):
            document = make_document(title=f"{title}文件{start}")
            for _ in range(min(20, count - start)):
                measure = make_measure(document, title, text)
                if linked:
                    MeasureTheme.objects.create(measure=measure, theme=cross_border, source=AUTO, reason="关键词：x")
                    MeasureTheme.objects.create(
                        measure=measure, theme=commerce, source=AUTO, reason="下级主题：cross_border"
                    )
                made[name].append(measure)
    # A person took the theme from one 独立站 measure and gave it to one 跨境电商 measure.
    MeasureTheme.objects.create(measure=made["site"][0], theme=cross_border, source=MANUAL, active=False)
    MeasureTheme.objects.filter(measure=made["cross_border"][0], theme=cross_border).update(source=MANUAL)
    return commerce, cross_border, made


def test_the_scattered_words_are_all_tokens_of_that_text():
    assert {"电子商务", "进", "农村"} <= set(index_tokens(SCATTERED))


def test_preview_counts_what_an_edit_gains_and_loses(corpus):
    _, cross_border, made = corpus
    preview = keyword_preview(theme=cross_border, keywords="海外仓，独立站 电子商务进农村")
    assert preview.keywords == ["海外仓", "独立站", "电子商务进农村"]
    assert preview.added_keywords == ["独立站", "电子商务进农村"] and preview.removed_keywords == ["跨境电商"]
    assert preview.matched == 120 + 60 + 40 and preview.matched_before == 120 + 40
    assert preview.linked == 120 + 39  # automatic links; the person's one is not the rules' to take
    assert preview.gained == 59 + 40  # not the measure a person took the theme from
    assert preview.lost == 39
    assert preview.manual == 2 and preview.kept_by_subdomain == 0
    assert len(preview.gained_examples) == 50 and len(preview.lost_examples) == 39
    gained = {measure.pk: measure for measure in preview.gained_examples}
    assert set(gained) <= {m.pk for m in made["site"][1:] + made["rural"]}
    assert all(measure.hits in (["独立站"], ["电子商务进农村"]) for measure in gained.values())
    assert {measure.pk for measure in preview.lost_examples} == {m.pk for m in made["cross_border"][1:]}
    assert all(measure.reason == "关键词：x" for measure in preview.lost_examples)
    assert cross_border.keywords == "跨境电商 海外仓"  # nothing saved


def test_unchanged_keywords_change_nothing(corpus):
    _, cross_border, made = corpus
    # Hit by a keyword, yet not linked: the classifier decided against it, and the same keywords decide the same.
    MeasureTheme.objects.filter(measure=made["warehouse"][0], theme=cross_border).delete()
    preview = keyword_preview(theme=cross_border, keywords="海外仓 跨境电商")
    assert (preview.gained, preview.lost, preview.matched, preview.matched_before) == (0, 0, 160, 160)
    assert preview.added_keywords == preview.removed_keywords == []


def test_a_link_the_keywords_did_not_give_is_not_lost(corpus):
    _, cross_border, made = corpus
    # Linked for the document's 主题分类, say: no keyword of the theme in its words, before or after.
    MeasureTheme.objects.create(measure=made["other"][0], theme=cross_border, source=AUTO, reason="文件主题分类")
    preview = keyword_preview(theme=cross_border, keywords="海外仓")
    assert preview.lost == 39 and made["other"][0].pk not in {m.pk for m in preview.lost_examples}


def test_a_parent_keeps_the_measures_its_sub_domains_bring(corpus):
    commerce, _, _ = corpus
    preview = keyword_preview(theme=commerce, keywords="")
    assert preview.matched == 0 and preview.matched_before == 120 and preview.linked == 160
    assert preview.lost == 0 and preview.kept_by_subdomain == 120


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "password")
    client.force_login(user)
    return client


def test_admin_preview_page(admin_client, corpus):
    _, cross_border, _ = corpus
    change = reverse("admin:measures_theme_change", args=[cross_border.pk])
    url = reverse("admin:measures_theme_keywords_preview", args=[cross_border.pk])
    html = admin_client.get(change).content.decode()
    assert "预览关键词修改的影响" in html and f'formaction="{url}"' in html
    response = admin_client.post(url, {"keywords": "海外仓 独立站 电子商务进农村", "name": "不会保存"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>+99</strong>条可能新增本主题" in html and "<strong>−39</strong>条将失去本主题" in html
    assert "显示 50 / 99 条" in html and "命中：独立站" in html and "<del>跨境电商</del>" in html
    assert "政策领域兼顾所在文件的整体领域" in html  # what the preview does not weigh
    cross_border.refresh_from_db()
    assert (cross_border.name, cross_border.keywords) == ("跨境电子商务", "跨境电商 海外仓")
    assert admin_client.get(url).status_code == 302  # the preview is of a form's POST


def test_admin_lists_themes_by_facet_and_refuses_a_parent_of_the_other_facet(admin_client, corpus):
    commerce, _, _ = corpus
    make_theme("subsidy", "财政资金补贴", facet=Theme.Facet.INSTRUMENT)
    html = admin_client.get(reverse("admin:measures_theme_changelist"), {"facet": "instrument"}).content.decode()
    assert "财政资金补贴" in html and "跨境电子商务" not in html
    subsidy = Theme.objects.get(code="subsidy")
    data = {
        "code": "subsidy",
        "name": "财政资金补贴",
        "facet": "instrument",
        "parent": commerce.pk,
        "former_codes": "",
        "description": "",
        "keywords": "补贴",
        "sort_order": 100,
    }
    response = admin_client.post(reverse("admin:measures_theme_change", args=[subsidy.pk]), data)
    assert response.status_code == 200 and "上级主题须属于同一维度" in response.content.decode()


def test_measure_inline_shows_reason_and_confidence(admin_client, corpus):
    _, _, made = corpus
    html = admin_client.get(reverse("admin:measures_measure_change", args=[made["warehouse"][0].pk])).content.decode()
    assert "分类依据" in html and "置信度" in html and "下级主题：cross_border" in html
