"""Plain ``make_*`` helpers for page tests: small, explicit data instead of the seed corpus."""

from __future__ import annotations

import hashlib
import itertools

from documents.models import Document, Organization, Region
from measures.derive import measure_tokens
from measures.models import Measure, MeasureDepartment, MeasureTheme, Theme

_counter = itertools.count(1)


def make_region(name: str, level: str = "city") -> Region:
    return Region.objects.get_or_create(name=name, defaults={"level": level})[0]


def make_document(*, region: str = "深圳市", year: int = 2022, title: str | None = None, **extra) -> Document:
    n = next(_counter)
    title = title or f"测试文件{n}"
    return Document.objects.create(
        title=title,
        region=make_region(region, "province" if region.endswith("省") else "city"),
        year=year,
        content_hash=hashlib.sha256(f"{title}{n}".encode()).hexdigest(),
        raw_text=title,
        clean_text=f"{title}\n正文",
        **extra,
    )


def make_theme(
    code: str = "talent",
    name: str = "人才培养",
    *,
    facet: str = Theme.Facet.DOMAIN,
    parent: Theme | None = None,
    **extra,
) -> Theme:
    defaults = {"name": name, "facet": facet, "parent": parent, **extra}
    return Theme.objects.get_or_create(code=code, defaults=defaults)[0]


def make_organization(name: str) -> Organization:
    return Organization.objects.get_or_create(name=name)[0]


def make_measure(document: Document, title: str, text: str, *, theme: Theme | None = None, lead: str = "") -> Measure:
    ordinal = document.measures.count() + 1
    # The stored tokens, as the write services store them: similarity and the full-text index read them.
    search_title, search_body = measure_tokens(title=title, text=text)
    measure = Measure.objects.create(
        document=document,
        ordinal=ordinal,
        number="（" + ("一二三四五六七八九十"[ordinal - 1] if ordinal <= 10 else str(ordinal)) + "）",
        title=title,
        text=text,
        search_title=search_title,
        search_body=search_body,
    )
    if theme:
        MeasureTheme.objects.create(measure=measure, theme=theme, active=True)
    if lead:
        MeasureDepartment.objects.create(
            measure=measure, organization=make_organization(lead), role=MeasureDepartment.Role.LEAD
        )
    return measure


def make_three_regions(theme: Theme) -> dict[str, list[Measure]]:
    """Shenzhen, Guangzhou and Guangdong on talent: two matters shared, one only in Shenzhen."""
    sz = make_document(region="深圳市", year=2022, title="深圳市人才措施", doc_number="深府〔2022〕1号")
    gz = make_document(region="广州市", year=2019, title="广州市人才措施")
    gd = make_document(region="广东省", year=2012, title="广东省人才意见")
    return {
        "深圳市": [
            make_measure(
                sz,
                "培养跨境电商人才",
                "支持高校开设跨境电商专业，开展人才培训和实训基地建设。",
                theme=theme,
                lead="深圳市教育局",
            ),
            make_measure(
                sz,
                "引进海外高层次人才",
                "对引进的海外高层次人才给予住房补贴和落户便利。",
                theme=theme,
                lead="深圳市人力资源局",
            ),
            make_measure(sz, "建设直播电商基地", "建设直播电商孵化基地，培育主播网红和直播机构。", theme=theme),
        ],
        "广州市": [
            make_measure(gz, "加强人才培训", "鼓励高校开设跨境电商专业课程，建设人才实训基地，开展培训。", theme=theme),
            make_measure(gz, "落实人才住房政策", "为引进的海外高层次人才提供住房补贴与落户服务。", theme=theme),
        ],
        "广东省": [
            make_measure(gd, "完善人才培训体系", "依托高校开展跨境电商人才培训，建设实训基地。", theme=theme),
        ],
    }
