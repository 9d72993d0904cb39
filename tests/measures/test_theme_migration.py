"""Migration 0010 moves the first taxonomy's themes to their new place and keeps people's decisions.

The migration's function runs on today's models (they have every field it touches), so the test needs no
schema change back and forth.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from documents.models import Document, Region
from measures.models import Measure, MeasureTheme, Theme

pytestmark = pytest.mark.django_db

migration = importlib.import_module("measures.migrations.0010_themes_by_facet")


def test_old_themes_are_renamed_or_merged_and_manual_decisions_survive():
    region = Region.objects.create(name="测试市", level="city")
    document = Document.objects.create(
        title="测试文件", region=region, year=2020, content_hash="x" * 64, raw_text="", clean_text=""
    )
    first = Measure.objects.create(document=document, ordinal=1, number="（一）", title="甲", text="甲")
    second = Measure.objects.create(document=document, ordinal=2, number="（二）", title="乙", text="乙")
    old = {
        code: Theme.objects.create(code=code, name=name)
        for code, name in [
            ("platforms", "平台与龙头企业"),
            ("parks", "产业园区与集聚区"),
            ("fiscal", "财政资金扶持"),
            ("finance", "金融、融资与保险"),
        ]
    }
    MeasureTheme.objects.create(measure=first, theme=old["platforms"], source="auto", active=True)
    MeasureTheme.objects.create(measure=first, theme=old["parks"], source="manual", active=False)
    MeasureTheme.objects.create(measure=second, theme=old["parks"], source="manual", active=True)
    MeasureTheme.objects.create(measure=second, theme=old["fiscal"], source="manual", active=False)

    migration.forward(apps, None)

    codes = dict(Theme.objects.values_list("code", "former_codes"))
    assert codes == {"platforms": "parks", "subsidy": "fiscal", "financing": "finance"}
    links = sorted(MeasureTheme.objects.values_list("measure_id", "theme__code", "source", "active"))
    assert links == [
        (first.pk, "platforms", "manual", False),  # the person's exclusion wins over the automatic link
        (second.pk, "platforms", "manual", True),
        (second.pk, "subsidy", "manual", False),
    ]
