"""Read-only JSON API for measures: ``GET /api/measures/``."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from .filters import MeasureFilter
from .models import Measure
from .selectors import measure_queryset


class DocumentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="display_title")
    region = serializers.CharField(source="region.name")
    year = serializers.IntegerField()


class DepartmentRoleSerializer(serializers.Serializer):
    name = serializers.CharField(source="organization.name")
    role = serializers.CharField()


class MeasureSerializer(serializers.ModelSerializer):
    document = DocumentBriefSerializer()
    themes = serializers.SerializerMethodField()
    departments = DepartmentRoleSerializer(source="ordered_department_links", many=True)

    class Meta:
        model = Measure
        fields = ["id", "document", "ordinal", "number", "title", "text", "kind", "themes", "departments"]

    def get_themes(self, measure) -> list[str]:
        return [link.theme.name for link in measure.active_theme_links]


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """政策措施。筛选：document, region, year, year_min, year_max, doc_type, theme, department, role, kind。"""

    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter

    def get_queryset(self):
        return measure_queryset().order_by("-document__year", "document_id", "ordinal")
