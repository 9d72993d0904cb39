"""Read-only JSON API for measures, themes and departments: ``GET /api/measures/`` (with ``?q=`` ranked
search), ``GET /api/themes/`` and ``GET /api/departments/``."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError

from documents.models import Organization
from search.engine import theme_counts

from .browse_selectors import linked_departments
from .filters import MeasureFilter
from .models import Measure, MeasureDepartment, Theme
from .selectors import SORTS, measure_queryset, measure_search
from .themes import measure_facets, theme_resolve


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
    themes = serializers.SerializerMethodField(help_text="全部主题名称（政策领域与政策工具）")
    domains = serializers.SerializerMethodField(help_text="政策领域名称，上级领域在前（含因下级领域而属于的上级）")
    instruments = serializers.SerializerMethodField(help_text="政策工具名称")
    departments = DepartmentRoleSerializer(source="ordered_department_links", many=True)
    status = serializers.CharField(
        source="document.status", help_text="所属文件今日的效力：in_force / expired / not_yet / unknown"
    )
    status_display = serializers.CharField(
        source="document.get_status_display", help_text="效力（中文）：现行有效 / 已失效 / 尚未生效 / 有效期未知"
    )
    valid_until = serializers.DateField(source="document.valid_until", help_text="所属文件的有效期止（未注明为 null）")
    highlight = serializers.SerializerMethodField(help_text="搜索时：正文片段，匹配词以 <mark> 标出（已转义的 HTML）")

    class Meta:
        model = Measure
        fields = [
            "id",
            "document",
            "ordinal",
            "number",
            "title",
            "text",
            "kind",
            "themes",
            "domains",
            "instruments",
            "departments",
            "status",
            "status_display",
            "valid_until",
            "highlight",
        ]

    def get_themes(self, measure) -> list[str]:
        return [link.theme.name for link in measure.active_theme_links]

    def get_domains(self, measure) -> list[str]:
        return [link.theme.name for link in measure_facets(measure.active_theme_links).all_domains]

    def get_instruments(self, measure) -> list[str]:
        return [link.theme.name for link in measure_facets(measure.active_theme_links).instruments]

    def get_highlight(self, measure) -> str | None:
        value = getattr(measure, "highlight", None)
        return str(value) if value is not None else None


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """政策措施。搜索：q（空格分隔多词、"短语"、OR、-排除；可含文号或地区名），sort=relevance|date。
    筛选：document, region, year, year_min, year_max, doc_type, theme, domain, instrument, department, role, kind,
    in_force。domain / instrument 取代码或名称（上级领域含其下级领域）；旧主题代码仍可用。
    facets=true 时另返回各筛选项的精确计数。total 为精确总数；total_all_words 为其中包含全部检索词的条数。"""

    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter  # declares and validates the filters (and documents them in the schema)

    def get_queryset(self):
        return measure_queryset().order_by("-document__year", "document_id", "ordinal")

    def filter_queryset(self, queryset):
        # Lists come from the search index (list below), which applies the filters; a single measure is not filtered.
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="检索词"),
            OpenApiParameter("sort", str, enum=list(SORTS), description="排序：relevance 相关度 / date 发布日期"),
            OpenApiParameter("facets", bool, description="true：返回各筛选项的精确计数"),
        ]
    )
    def list(self, request, *args, **kwargs):
        query = request.query_params.get("q", "").strip()
        sort = request.query_params.get("sort") if request.query_params.get("sort") in SORTS else "relevance"
        filters = {key: value for key, value in request.query_params.items() if key in MeasureFilter.base_filters}
        with_facets = request.query_params.get("facets", "").lower() in ("1", "true", "yes")
        try:
            result = measure_search(query=query, filters=filters, sort=sort, facets=with_facets)
        except ValidationError as error:
            raise ApiValidationError(error.message_dict) from error
        page = self.paginate_queryset(result.results)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        if query:
            response.data["total"] = result.total
            response.data["total_all_words"] = result.total_all_words
            response.data["summary"] = result.summary
        if result.message:
            response.data["message"] = result.message
        if with_facets:
            response.data["facets"] = _facets_json(result.facets)
        return response


def _facets_json(facets: dict) -> dict:
    return {
        "region": [{"name": name, "count": n} for name, n in facets.get("region", [])],
        "year": [{"year": year, "count": n} for year, n in facets.get("year", [])],
        "doc_type": [{"code": code, "name": label, "count": n} for code, label, n in facets.get("doc_type", [])],
        "document": [{"id": pk, "title": title, "count": n} for pk, title, n in facets.get("document", [])],
        "domain": [
            {"code": code, "name": name, "count": n, "depth": d} for code, name, n, d in facets.get("domain", [])
        ],
        "instrument": [{"code": code, "name": name, "count": n} for code, name, n in facets.get("instrument", [])],
        "department": [{"name": name, "count": n} for name, n in facets.get("department", [])],
        "department_roles": {
            role: [{"name": name, "count": n} for name, n in values]
            for role, values in facets.get("department_roles", {}).items()
        },
        "in_force": [{"value": value, "name": label, "count": n} for value, label, n in facets.get("in_force", [])],
    }


class ThemeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="上级主题的代码")
    former_codes = serializers.ListField(
        source="former_code_list", child=serializers.CharField(), help_text="旧版主题代码，筛选时仍可使用"
    )
    measure_count = serializers.SerializerMethodField(help_text="措施数（上级领域含其下级领域）")

    class Meta:
        model = Theme
        fields = ["code", "name", "facet", "parent", "former_codes", "description", "measure_count"]

    def get_measure_count(self, theme) -> int:
        # From the search index: one aggregation for all themes, read once per response (the view's context).
        if "theme_counts" not in self.context:
            self.context["theme_counts"] = theme_counts()
        return self.context["theme_counts"].get(theme.pk, 0)


class ThemeFilterSet(django_filters.FilterSet):
    facet = django_filters.ChoiceFilter(choices=Theme.Facet.choices, label="维度（domain / instrument）")
    parent = django_filters.CharFilter(field_name="parent__code", label="上级主题代码")

    class Meta:
        model = Theme
        fields = ["facet", "parent"]


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    """主题：政策领域（facet=domain，可有上级 parent）与政策工具（facet=instrument），各带措施数。
    筛选：facet, parent。单个主题：/api/themes/<代码>/（旧代码亦可）。"""

    serializer_class = ThemeSerializer
    filterset_class = ThemeFilterSet
    lookup_field = "code"

    def get_queryset(self):
        return Theme.objects.select_related("parent").order_by("sort_order", "code")

    def get_object(self):
        theme = theme_resolve(self.kwargs[self.lookup_field])
        if theme is None:
            raise Http404
        theme = self.get_queryset().get(pk=theme.pk)
        self.check_object_permissions(self.request, theme)
        return theme


class DepartmentSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_name", default=None, help_text="所属地区名称")
    measure_counts = serializers.SerializerMethodField(
        help_text="各职责的措施数：lead 牵头、responsible 负责、cooperate 配合"
    )
    measure_count = serializers.IntegerField(source="total", help_text="措施数（各职责合计）")

    class Meta:
        model = Organization
        fields = ["id", "name", "region", "kind", "measure_counts", "measure_count"]

    def get_measure_counts(self, organization) -> dict[str, int]:
        return {role: getattr(organization, role) for role in MeasureDepartment.Role.values}


class DepartmentFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__name", label="地区（名称）")
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, label="机构类型")

    class Meta:
        model = Organization
        fields = ["region", "kind"]


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """部门：措施中列明的牵头、负责与配合部门，各带各职责的措施数。筛选：region, kind。"""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet

    def get_queryset(self):
        return linked_departments(counts=True)
