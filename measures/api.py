"""Read-only JSON API for measures: ``GET /api/measures/`` (with ``?q=`` ranked search)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError

from .filters import MeasureFilter
from .models import Measure
from .selectors import SORTS, measure_queryset, measure_search


class DocumentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="display_title")
    doc_number = serializers.CharField()
    region = serializers.CharField(source="region.name")
    year = serializers.IntegerField()


class DepartmentRoleSerializer(serializers.Serializer):
    name = serializers.CharField(source="organization.name")
    role = serializers.CharField()


class MeasureSerializer(serializers.ModelSerializer):
    document = DocumentBriefSerializer()
    themes = serializers.SerializerMethodField()
    departments = DepartmentRoleSerializer(source="ordered_department_links", many=True)
    highlight = serializers.SerializerMethodField(help_text="搜索时：正文片段，匹配词以 <mark> 标出（已转义的 HTML）")

    class Meta:
        model = Measure
        fields = ["id", "document", "ordinal", "number", "title", "text", "kind", "themes", "departments", "highlight"]

    def get_themes(self, measure) -> list[str]:
        return [link.theme.name for link in measure.active_theme_links]

    def get_highlight(self, measure) -> str | None:
        value = getattr(measure, "highlight", None)
        return str(value) if value is not None else None


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """政策措施。搜索：q（空格分隔多词、"短语"、OR、-排除），sort=relevance|date。
    筛选：document, region, year, year_min, year_max, doc_type, theme, department, role, kind, in_force。"""

    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter

    def get_queryset(self):
        return measure_queryset().order_by("-document__year", "document_id", "ordinal")

    def list(self, request, *args, **kwargs):
        query = request.query_params.get("q", "").strip()
        if not query:
            return super().list(request, *args, **kwargs)
        sort = request.query_params.get("sort") if request.query_params.get("sort") in SORTS else "relevance"
        filters = {key: value for key, value in request.query_params.items() if key in MeasureFilter.base_filters}
        try:
            result = measure_search(query=query, filters=filters, sort=sort, facets=False)
        except ValidationError as error:
            raise ApiValidationError(error.message_dict) from error
        page = self.paginate_queryset(result.results)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        response.data["total"] = result.total
        # Above the exact count cap the total is PostgreSQL's estimate, or on SQLite a floor ("5,000 条以上").
        response.data["total_is_estimate"] = result.approximate
        if result.message:
            response.data["message"] = result.message
        return response
