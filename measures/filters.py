"""The measure filters, declared and validated once for the pages, the API (and its schema) and the
exports. What they mean — which measures pass — is ``search.scope``'s, applied by the index."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from documents.models import Document
from policybase.bounds import id_filter, parse_id, year_filter

from .models import Measure, MeasureDepartment, Theme
from .themes import themes_resolve

# The theme filters: each key and the facet its theme must be of (None: any theme).
THEME_FILTERS = {"theme": None, "domain": Theme.Facet.DOMAIN, "instrument": Theme.Facet.INSTRUMENT}


class MeasureFilterForm(forms.Form):
    """MeasureFilter's form: its theme filters name their themes, looked up together (one query).

    A theme filter's value is cleaned to the Theme it names by code, name or former code. With a facet
    (``domain``, ``instrument``) a value that names no theme, or a theme of the other facet, is invalid;
    ``theme=`` (either facet, as it always was) keeps an unknown value as a string, a theme no measure is on."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("year_min"), cleaned.get("year_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "year_max",
                ValidationError(
                    "年份范围颠倒：起始年份 %(low)s 晚于截止年份 %(high)s。",
                    code="reversed",
                    params={"low": low, "high": high},
                ),
            )
        values = {name: cleaned[name] for name in THEME_FILTERS if cleaned.get(name)}
        themes = themes_resolve(values.values()) if values else {}
        for name, value in values.items():
            theme, facet = themes.get(value), THEME_FILTERS[name]
            if facet is None:
                cleaned[name] = theme or value
            elif theme is None:
                self.add_error(
                    name,
                    ValidationError(
                        "没有名称或代码为“%(value)s”的%(facet)s。",
                        code="unknown",
                        params={"value": value, "facet": Theme.Facet(facet).label},
                    ),
                )
            elif theme.facet != facet:
                self.add_error(
                    name,
                    ValidationError(
                        "“%(name)s”是%(its)s，不是%(facet)s。",
                        code="facet",
                        params={
                            "name": theme.name,
                            "its": theme.get_facet_display(),
                            "facet": Theme.Facet(facet).label,
                        },
                    ),
                )
            else:
                cleaned[name] = theme
        return cleaned


class ThemeFilter(django_filters.CharFilter):
    """A theme by code, name or former code; the form (MeasureFilterForm) turns the value into the Theme."""


class MeasureFilter(django_filters.FilterSet):
    document = id_filter(field_name="document_id", label="文件 ID")
    region = django_filters.CharFilter(label="地区（名称，可重复用逗号分隔）")
    year = year_filter(field_name="document__year", label="年份")
    year_min = year_filter(field_name="document__year", lookup_expr="gte", label="起始年份")
    year_max = year_filter(field_name="document__year", lookup_expr="lte", label="截止年份")
    doc_type = django_filters.ChoiceFilter(
        field_name="document__doc_type", choices=Document.DocType.choices, label="文件类型"
    )
    theme = ThemeFilter(label="主题（代码、名称或旧代码）")
    domain = ThemeFilter(label="政策领域（代码或名称；上级领域含其下级）")
    instrument = ThemeFilter(label="政策工具（代码或名称）")
    department = django_filters.CharFilter(label="部门（名称、别名或 ID）")
    role = django_filters.ChoiceFilter(choices=MeasureDepartment.Role.choices, label="部门职责")
    kind = django_filters.ChoiceFilter(choices=Measure.Kind.choices, label="类别")
    in_force = django_filters.BooleanFilter(label="现行有效（true/false）")

    class Meta:
        model = Measure
        form = MeasureFilterForm
        fields = [
            "document",
            "region",
            "year",
            "year_min",
            "year_max",
            "doc_type",
            "theme",
            "domain",
            "instrument",
            "department",
            "role",
            "kind",
            "in_force",
        ]

    def filter_queryset(self, queryset):
        # Declares and validates only: what each filter means is search.scope's, read by the index.
        raise NotImplementedError("measure lists come from search.engine: use measures.selectors.measure_search")


def filter_errors_text(error: ValidationError) -> str:
    """The invalid filters of a ``ValidationError`` from MeasureFilter, in one line for people:
    「政策领域：没有名称或代码为“x”的政策领域。」"""
    parts = []
    for key, messages in error.message_dict.items():
        label = MeasureFilter.base_filters[key].label if key in MeasureFilter.base_filters else key
        parts.append(f"{label.split('（')[0]}：{''.join(messages)}")
    return "；".join(parts)


def department_named(value: str, prefix: str = "") -> Q:
    """The organisations a ``department`` filter value names: by name, alias or id."""
    match = Q(**{f"{prefix}name": value}) | Q(**{f"{prefix}aliases__name": value})
    if (pk := parse_id(value)) is not None:
        match |= Q(**{f"{prefix}pk": pk})
    return match


def region_names(value: str) -> list[str]:
    """The region names of a ``region`` filter value: comma-separated, full- or half-width commas."""
    return [part.strip() for part in value.replace("，", ",").split(",") if part.strip()]
