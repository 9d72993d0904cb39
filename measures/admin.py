"""Admin for measures (with themes and departments inline) and themes.

Removing a theme from a measure does not delete the row: it records a manual
exclusion, so automatic classification never adds that theme back.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from documents.models import Organization
from policybase.concurrency import VersionCheckedForm

from .models import Measure, MeasureDepartment, MeasureTheme, Synonym, Theme
from .services import measure_theme_set, measures_after_write
from .theme_preview import keyword_preview

TEXT_FIELDS = {"title", "text", "chapter"}


class MeasureThemeInline(admin.TabularInline):
    model = MeasureTheme
    extra = 1
    fields = ["theme", "active", "source", "confidence", "reason"]
    readonly_fields = ["source", "confidence", "reason"]
    autocomplete_fields = ["theme"]
    verbose_name = "主题"
    verbose_name_plural = "主题（删除即人工排除；自动分类不会覆盖人工设定）"


class MeasureDepartmentInline(admin.TabularInline):
    model = MeasureDepartment
    extra = 1
    fields = ["position", "organization", "role", "name_as_written", "note"]
    autocomplete_fields = ["organization"]


class ThemeFilter(admin.SimpleListFilter):
    title = "主题"
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        return [(theme.code, theme.name) for theme in Theme.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(theme_links__theme__code=self.value(), theme_links__active=True)
        return queryset


class DepartmentFilter(admin.SimpleListFilter):
    title = "责任部门"
    parameter_name = "department"

    def lookups(self, request, model_admin):
        return Organization.objects.filter(measure_links__isnull=False).distinct().values_list("pk", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(department_links__organization_id=self.value()).distinct()
        return queryset


class RoleFilter(admin.SimpleListFilter):
    title = "部门职责"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return MeasureDepartment.Role.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(department_links__role=self.value()).distinct()
        return queryset


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    form = VersionCheckedForm
    list_display = ["__str__", "document_title", "region", "year", "kind", "theme_names", "lead_departments"]
    list_filter = [
        ("document__region", admin.RelatedOnlyFieldListFilter),
        "document__year",
        "document__doc_type",
        "kind",
        ThemeFilter,
        DepartmentFilter,
        RoleFilter,
    ]
    search_fields = ["title", "text", "number", "document__title", "document__doc_number"]
    autocomplete_fields = ["document"]
    inlines = [MeasureThemeInline, MeasureDepartmentInline]
    list_select_related = ["document", "document__region"]
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("theme_links", MeasureTheme.objects.filter(active=True).select_related("theme")),
                Prefetch(
                    "department_links",
                    MeasureDepartment.objects.filter(role__in=["lead", "responsible"]).select_related("organization"),
                    to_attr="lead_links",
                ),
            )
        )

    @admin.display(description="文件", ordering="document__title")
    def document_title(self, obj):
        return obj.document.display_title

    @admin.display(description="地区", ordering="document__region__name")
    def region(self, obj):
        return obj.document.region

    @admin.display(description="年份", ordering="document__year")
    def year(self, obj):
        return obj.document.year

    @admin.display(description="主题")
    def theme_names(self, obj):
        return "、".join(link.theme.name for link in obj.theme_links.all())

    @admin.display(description="牵头/负责部门")
    def lead_departments(self, obj):
        return "、".join(link.organization.name for link in obj.lead_links)

    def save_formset(self, request, form, formset, change):
        if formset.model is not MeasureTheme:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for removed in formset.deleted_objects:
            measure_theme_set(measure=removed.measure, theme=removed.theme, active=False)
        for link in instances:
            measure_theme_set(measure=form.instance, theme=link.theme, active=link.active)
        formset.save_m2m()
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change or TEXT_FIELDS & set(form.changed_data):
            measures_after_write(measure_ids=[form.instance.pk])


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    """Themes of both facets. Editing keywords changes nothing until ``classify_measures`` runs; the change
    page previews what an edit would change (``keywords_preview``) without saving it."""

    list_display = ["name", "code", "facet", "parent", "measure_count", "manual_count", "sort_order"]
    list_filter = ["facet", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    ordering = ["facet", "sort_order", "code"]
    search_fields = ["name", "code", "keywords", "description", "former_codes"]
    prepopulated_fields = {"code": ["name"]}
    change_form_template = "admin/measures/theme/change_form.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if getattr(request.resolver_match, "url_name", "") == "autocomplete":
            return queryset  # a measure's theme picker needs names, not every link counted per keystroke

        # Counted per theme on the links' (theme, active) index rather than by grouping every link.
        def links(**condition):
            counted = MeasureTheme.objects.filter(theme=OuterRef("pk"), **condition).order_by().values("theme")
            return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)

        return queryset.annotate(measure_total=links(active=True), manual_total=links(source="manual"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Theme.objects.filter(parent__isnull=True).order_by("facet", "sort_order")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="措施数", ordering="measure_total")
    def measure_count(self, obj):
        return obj.measure_total

    @admin.display(description="人工设定", ordering="manual_total")
    def manual_count(self, obj):
        return obj.manual_total

    def get_urls(self):
        preview = path(
            "<path:object_id>/keywords-preview/",
            self.admin_site.admin_view(self.keywords_preview),
            name="measures_theme_keywords_preview",
        )
        return [preview, *super().get_urls()]

    def keywords_preview(self, request, object_id):
        """POST from the change form: the keywords as edited there, compared with the measures linked now."""
        theme = self.get_object(request, unquote(object_id))
        if theme is None:
            raise Http404("没有这个主题。")
        if not self.has_change_permission(request, theme):
            raise PermissionDenied
        change_url = reverse("admin:measures_theme_change", args=[theme.pk])
        if request.method != "POST":
            return redirect(change_url)
        keywords = request.POST.get("keywords", theme.keywords)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": theme,
            "title": f"关键词修改的影响：{theme.name}",
            "preview": keyword_preview(theme=theme, keywords=keywords),
            "keywords": keywords,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/measures/theme/keywords_preview.html", context)


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """Synonym groups for search; applied to queries at once, no reindex needed."""

    list_display = ["__str__", "note", "active"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["terms", "note"]
