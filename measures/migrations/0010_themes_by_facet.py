"""The first taxonomy's 22 themes move to their place among domains and instruments.

The mapping is the written one of ``measures.taxonomy.FORMER_CODES``, frozen here. A theme whose new code is
free is renamed in place, so every link to it (a person's decision included) stays; a theme whose new code
another old theme took is merged into that one: its links move, a person's decision winning over an automatic
one on the same measure. Each old code is kept in ``former_codes`` so old URLs and API parameters redirect.
Keywords and descriptions are emptied: ``measures.services.themes_ensure`` fills them, and the new themes, from
the taxonomy at the next start, and ``manage.py classify_measures`` re-assigns the automatic themes.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef

MAPPING = {
    "platforms": ("platforms", "平台与载体建设", "instrument"),
    "parks": ("platforms", "平台与载体建设", "instrument"),
    "cross_border": ("cross_border", "跨境电子商务", "domain"),
    "industrial": ("ecommerce", "电子商务", "domain"),
    "trade": ("retail", "商贸流通与消费", "domain"),
    "rural": ("rural_ecommerce", "农村电子商务", "domain"),
    "livelihood": ("ecommerce", "电子商务", "domain"),
    "new_models": ("ecommerce", "电子商务", "domain"),
    "logistics": ("logistics", "物流与快递", "domain"),
    "payment": ("ecommerce", "电子商务", "domain"),
    "credit": ("standards", "标准与认证", "instrument"),
    "standards": ("standards", "标准与认证", "instrument"),
    "ip": ("science_tech", "科技与信息化", "domain"),
    "statistics": ("organization", "组织保障", "instrument"),
    "talent": ("talent", "人才", "instrument"),
    "fiscal": ("subsidy", "财政资金补贴", "instrument"),
    "tax": ("tax", "税收优惠", "instrument"),
    "finance": ("financing", "金融与融资", "instrument"),
    "land": ("land", "用地与空间", "instrument"),
    "customs": ("commerce", "商贸、海关、旅游", "domain"),
    "cooperation": ("cooperation", "合作与开放", "instrument"),
    "organization": ("organization", "组织保障", "instrument"),
}


def _merge_links(MeasureTheme, source, target):
    """Move ``source``'s links onto ``target``; on a measure both are on, a person's decision wins."""
    on_target = MeasureTheme.objects.filter(theme=target, measure=OuterRef("measure"))
    MeasureTheme.objects.filter(theme=source).exclude(Exists(on_target)).update(theme=target)
    for link in MeasureTheme.objects.filter(theme=source, source="manual"):
        MeasureTheme.objects.filter(theme=target, measure=link.measure_id).exclude(source="manual").update(
            source="manual", active=link.active
        )
    MeasureTheme.objects.filter(theme=source).delete()


def forward(apps, schema_editor):
    Theme = apps.get_model("measures", "Theme")
    MeasureTheme = apps.get_model("measures", "MeasureTheme")
    for old, (code, name, facet) in MAPPING.items():
        theme = Theme.objects.filter(code=old).first()
        if theme is None:
            continue
        target = Theme.objects.filter(code=code).exclude(pk=theme.pk).first()
        if target is None:
            # Free a name another old theme still holds (it is renamed in its own turn).
            Theme.objects.filter(name=name).exclude(pk=theme.pk).update(name=f"{name}（旧）")
            theme.code, theme.name, theme.facet = code, name, facet
            theme.keywords = theme.description = ""
            theme.former_codes = " ".join(sorted({*theme.former_codes.split(), old} - {code}))
            theme.save()
            continue
        _merge_links(MeasureTheme, theme, target)
        target.former_codes = " ".join(
            sorted({*target.former_codes.split(), *theme.former_codes.split(), old} - {code})
        )
        target.save()
        theme.delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0009_theme_facets")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
