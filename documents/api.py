"""Read-only JSON API for documents and regions: ``GET /api/documents/``, ``GET /api/regions/``."""

from __future__ import annotations

import django_filters
from rest_framework import serializers, viewsets

from .models import Document, Region
from .selectors import document_queryset, documents_named


class DocumentSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name")
    issuer = serializers.CharField(source="issuer.name", default=None)
    measure_count = serializers.IntegerField()
    status = serializers.CharField()

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "policy_title",
            "region",
            "year",
            "issuer",
            "doc_number",
            "issue_date",
            "valid_from",
            "valid_until",
            "status",
            "doc_type",
            "measure_count",
            "source_url",
        ]


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="标题或文号（检索）")
    region = django_filters.CharFilter(field_name="region__name", label="地区")
    year = django_filters.NumberFilter(label="年份")
    doc_type = django_filters.ChoiceFilter(choices=Document.DocType.choices, label="文件类型")
    issuer = django_filters.CharFilter(field_name="issuer__name", label="发文机关")

    class Meta:
        model = Document
        fields = ["q", "region", "year", "doc_type", "issuer"]

    def filter_q(self, queryset, name, value):
        return documents_named(queryset, value) if value.strip() else queryset


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """政策文件。筛选：q（标题词语或文号，如 穗府办函〔2019〕2号），region, year, doc_type, issuer。"""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter

    def get_queryset(self):
        return document_queryset()


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.name", default=None, help_text="上级地区名称")

    class Meta:
        model = Region
        fields = ["id", "name", "level", "parent"]


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Region.Level.choices, label="层级")
    parent = django_filters.CharFilter(field_name="parent__name", label="上级地区（名称）")

    class Meta:
        model = Region
        fields = ["level", "parent"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """地区：名称、层级（national / province / city / district）与上级地区。筛选：level, parent。"""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter

    def get_queryset(self):
        return Region.objects.select_related("parent").order_by("sort_order", "name")
