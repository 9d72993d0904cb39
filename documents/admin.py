"""Admin for documents, organizations (with alias merging) and regions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from measures.models import Measure

from .models import Article, ChronicleEntry, Citation, Document, Organization, OrganizationAlias, Region
from .services import organization_merge


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "sort_order"]
    list_filter = ["level"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


class OrganizationAliasInline(admin.TabularInline):
    model = OrganizationAlias
    extra = 0
    autocomplete_fields = ["region"]


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Organization.objects.none(), label="合并到", empty_label=None)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = organizations


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "measure_count", "alias_list"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["region"]
    inlines = [OrganizationAliasInline]
    actions = ["merge"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("region")
            .prefetch_related("aliases")
            .annotate(measure_total=Count("measure_links__measure", distinct=True))
        )

    @admin.display(description="措施数", ordering="measure_total")
    def measure_count(self, obj):
        return obj.measure_total

    @admin.display(description="别名")
    def alias_list(self, obj):
        return "、".join(alias.name for alias in obj.aliases.all())

    @admin.action(description="合并所选机构（同一机构的不同写法）")
    def merge(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "请至少选择两个机构再合并。", messages.WARNING)
            return None
        if "apply" in request.POST:
            form = MergeForm(request.POST, organizations=queryset)
            if form.is_valid():
                target = form.cleaned_data["target"]
                merged = organization_merge(target=target, sources=[o for o in queryset if o.pk != target.pk])
                self.message_user(request, f"已将 {merged} 个机构合并到“{target}”，原名称保留为别名。")
                return None
        else:
            form = MergeForm(organizations=queryset)
        return render(
            request,
            "admin/documents/organization/merge.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "organizations": queryset,
                "opts": self.model._meta,
                "title": "合并机构",
            },
        )


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["ordinal", "number", "title", "kind", "chapter"]
    ordering = ["ordinal"]
    show_change_link = True


class CitationInline(admin.TabularInline):
    model = Citation
    fk_name = "citing"
    extra = 0
    fields = ["position", "cited_title", "cited_doc_number", "cited"]
    autocomplete_fields = ["cited"]


class ArticleInline(admin.StackedInline):
    model = Article
    extra = 0


class ChronicleEntryInline(admin.TabularInline):
    model = ChronicleEntry
    extra = 0
    fields = ["ordinal", "number", "date", "title", "text"]


class StatusFilter(admin.SimpleListFilter):
    title = "效力状态"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("in_force", "现行有效"), ("expired", "已失效"), ("unknown", "有效期未知")]

    def queryset(self, request, queryset):
        if self.value() == "in_force":
            return queryset.in_force()
        if self.value() == "expired":
            return queryset.expired()
        if self.value() == "unknown":
            return queryset.filter(valid_until__isnull=True)
        return queryset


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "doc_number", "region", "year", "doc_type", "status", "measure_count"]
    list_filter = ["region", "year", "doc_type", StatusFilter]
    search_fields = ["title", "policy_title", "doc_number", "issuer__name"]
    autocomplete_fields = ["issuer", "region"]
    readonly_fields = ["content_hash", "encoding", "source_name", "created_at", "updated_at", "import_warnings"]
    inlines = [MeasureInline, CitationInline, ArticleInline, ChronicleEntryInline]
    fieldsets = [
        (None, {"fields": ["title", "policy_title", "doc_number", "doc_type", "issuer", "region"]}),
        ("日期与效力", {"fields": ["issue_date", "year", "valid_from", "valid_until", "validity_clause"]}),
        ("来源", {"fields": ["source_name", "source_url", "content_hash", "encoding", "import_warnings"]}),
        ("正文", {"classes": ["collapse"], "fields": ["preamble", "clean_text", "raw_text"]}),
        ("记录", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("region", "issuer").annotate(measure_total=Count("measures"))
        )

    def get_inlines(self, request, obj):
        if obj is not None and obj.doc_type == Document.DocType.PERIODICAL:
            return [CitationInline, ArticleInline, ChronicleEntryInline]
        return [MeasureInline, CitationInline]

    @admin.display(description="措施数", ordering="measure_total")
    def measure_count(self, obj):
        return obj.measure_total

    @admin.display(description="效力（今日）")
    def status(self, obj):
        return obj.Status(obj.status(timezone.localdate())).label
