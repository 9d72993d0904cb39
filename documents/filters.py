"""The document list's filters (region, issuer, year range, type, in force/expired), used by the selector."""

from __future__ import annotations

import django_filters
from django import forms

from policybase.bounds import year_filter

from .models import Document, Organization, Region


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="标题或文号",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "如：穗府办函〔2019〕2号、跨境电子商务"}),
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.filter(documents__isnull=False).distinct(), to_field_name="name", label="地区"
    )
    issuer = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(issued_documents__isnull=False).distinct(), label="发文机关"
    )
    year_min = year_filter(field_name="year", lookup_expr="gte", label="起始年份")
    year_max = year_filter(field_name="year", lookup_expr="lte", label="截止年份")
    doc_type = django_filters.ChoiceFilter(choices=Document.DocType.choices, label="类型", empty_label="全部类型")
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[("in_force", "现行有效"), ("expired", "已失效")],
        label="效力",
        empty_label="全部",
    )

    class Meta:
        model = Document
        fields = ["q", "region", "issuer", "year_min", "year_max", "doc_type", "status"]

    def filter_q(self, queryset, name, value):
        from .selectors import documents_named

        return documents_named(queryset, value) if value.strip() else queryset

    def filter_status(self, queryset, name, value):
        return queryset.in_force() if value == "in_force" else queryset.expired()
