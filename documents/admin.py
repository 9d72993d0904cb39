"""Admin for documents, organizations (with alias merging) and regions."""

from __future__ import annotations

import threading

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from measures.models import Measure
from policybase.concurrency import VersionCheckedForm

from .importing import SUPPORTED_SUFFIXES
from .ingest.errors import IngestError
from .ingest.types import ParsedDocument
from .models import Article, ChronicleEntry, Citation, Document, Organization, OrganizationAlias, Region, StagedImport
from .selectors import organization_duplicates
from .services import organization_merge
from .uploads import (
    METADATA_LABELS,
    NOT_FOUND,
    REQUIRED_FIELDS,
    metadata_values,
    provenance_note,
    region_choice_ok,
    region_names,
    split_names,
    staged_import_confirm,
    staged_import_discard,
    staged_import_preview,
    staged_imports_create,
    staged_parse,
    upload_problem,
)


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


_request_local = threading.local()  # what one changelist request computed once for all its rows


class DuplicateFilter(admin.SimpleListFilter):
    title = "疑似重复"
    parameter_name = "duplicates"

    def lookups(self, request, model_admin):
        return [("yes", "可能是同一机构的不同写法")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=list(organization_duplicates())).order_by("region", "name")
        return queryset


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    form = VersionCheckedForm
    list_display = ["name", "kind", "region", "measure_count", "alias_list", "duplicate_names"]
    list_filter = [DuplicateFilter, "kind", "region"]
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

    def changelist_view(self, request, extra_context=None):
        _request_local.duplicates = organization_duplicates()
        try:
            return super().changelist_view(request, extra_context)
        finally:
            _request_local.duplicates = None

    @admin.display(description="可能重复（勾选后用“合并所选机构”）")
    def duplicate_names(self, obj):
        duplicates = getattr(_request_local, "duplicates", None) or {}
        return "、".join(name for _, name in duplicates.get(obj.pk, ()))

    @admin.action(description="合并所选机构（同一机构的不同写法）", permissions=["change"])
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
    form = VersionCheckedForm
    list_display = ["title", "doc_number", "region", "level", "year", "doc_type", "status", "measure_count"]
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

    @admin.display(description="层级", ordering="region__level")
    def level(self, obj):
        return obj.issuing_level

    @admin.display(description="效力（今日）")
    def status(self, obj):
        return obj.Status(obj.status(timezone.localdate())).label

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="documents_document_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        """Stage the uploaded files, then show the one file's preview or the list of several."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
        if form.is_valid():
            stages = staged_imports_create(files=form.cleaned_data["files"], user=request.user)
            return HttpResponseRedirect(self._after_upload(request, stages))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "上传文件",
            "form": form,
            "suffixes": " ".join(sorted(SUPPORTED_SUFFIXES)),
            "max_megabytes": f"{settings.IMPORT_MAX_BYTES / (1024 * 1024):g}",
            "max_files": settings.IMPORT_UPLOAD_MAX_FILES,
        }
        return TemplateResponse(request, "admin/documents/document/upload.html", context)

    def _after_upload(self, request, stages: list[StagedImport]) -> str:
        if len(stages) == 1:
            return reverse("admin:documents_stagedimport_change", args=[stages[0].pk])
        failed = sum(stage.status == StagedImport.Status.FAILED for stage in stages)
        summary = f"已上传 {len(stages)} 个文件：{len(stages) - failed} 个待确认"
        self.message_user(request, f"{summary}，{failed} 个无法导入。" if failed else f"{summary}。", messages.INFO)
        ids = ",".join(str(stage.pk) for stage in stages)
        return f"{reverse('admin:documents_stagedimport_changelist')}?id__in={ids}"


# --- upload and preview --------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field taking one or several files (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(sorted(SUPPORTED_SUFFIXES))}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = []
        for item in data if isinstance(data, (list, tuple)) else [data]:
            files.append(super().clean(item, initial))
        return files


class UploadForm(forms.Form):
    # Empty files pass the field so that upload_problem names them, with the other refusals.
    files = MultipleFileField(label="文件", allow_empty_file=True)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > settings.IMPORT_UPLOAD_MAX_FILES:
            raise ValidationError(f"一次最多上传 {settings.IMPORT_UPLOAD_MAX_FILES} 个文件，请分批上传。")
        problems = [
            problem for upload in files if (problem := upload_problem(upload.name, upload.size, upload.chunks()))
        ]
        if problems:
            raise ValidationError(problems)
        for upload in files:
            upload.seek(0)
        return files


class NamesField(forms.CharField):
    """Names typed in one line (co-issuers), cleaned to a tuple."""

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, (list, tuple)) else value

    def to_python(self, value):
        return split_names(super().to_python(value))


class StagedMetadataForm(forms.Form):
    """The staged document's metadata, corrected by the editor; each field says where its value came from."""

    title = forms.CharField(max_length=300)
    policy_title = forms.CharField(max_length=300)
    doc_number = forms.CharField(max_length=60)
    doc_type = forms.ChoiceField(choices=Document.DocType.choices)
    issuer = forms.CharField(max_length=100)
    co_issuers = NamesField(widget=forms.TextInput(attrs={"placeholder": "多个机关用逗号或“、”分隔"}))
    region = forms.CharField(
        max_length=50, widget=forms.TextInput(attrs={"list": "region-names", "autocomplete": "off"})
    )
    issue_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    year = forms.IntegerField(min_value=1949, max_value=2100)
    source_url = forms.URLField(max_length=500, assume_scheme="https")

    def __init__(self, *args, parsed: ParsedDocument, disabled: bool = False, **kwargs):
        super().__init__(*args, initial=metadata_values(parsed), **kwargs)
        for name, field in self.fields.items():
            field.label = METADATA_LABELS[name]
            field.required = name in REQUIRED_FIELDS
            field.error_messages["required"] = f"请填写{field.label}。"
            field.help_text = provenance_note(parsed, name)
            field.disabled = disabled
            if field.help_text == NOT_FOUND:
                field.widget.attrs["class"] = "missing"

    def clean_region(self):
        region = self.cleaned_data["region"]
        if not region_choice_ok(region):
            raise ValidationError(
                f"“{region}”不像地区名称：请从列表中选择，或填写完整名称，如“深圳市”“广东省”“南山区”。"
            )
        return region

    def corrections(self) -> dict:
        """The values the editor changed, by the fields' own comparison (a date typed differently is no change)."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


def _reason(exc: Exception) -> str:
    """What to tell the editor about a confirm that was refused."""
    if isinstance(exc, IngestError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "没有导入的权限。"


def chosen_theirs(data) -> set[str]:
    """Conflict keys where the editor chose 采用新原文 (radio ``choice:<key>`` set to ``theirs``)."""
    return {
        name.removeprefix("choice:") for name, value in data.items() if name.startswith("choice:") and value == "theirs"
    }


@admin.register(StagedImport)
class StagedImportAdmin(admin.ModelAdmin):
    """Uploaded files: the change page is the import preview, where an editor confirms or discards."""

    list_display = ["file_name", "status", "measure_count", "document", "created_by", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["file_name"]
    list_select_related = ["document", "created_by", "decided_by"]
    date_hierarchy = "created_at"

    @admin.display(description="措施数")
    def measure_count(self, obj):
        return len(obj.parsed.get("measures", ())) if obj.parsed else "—"

    def has_add_permission(self, request):
        return False  # files arrive through the document list's 上传文件 page

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # Deciding a stage imports a document: the right to add documents is the right that matters.
        return request.user.has_perm("documents.add_document")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        stage = self.get_object(request, unquote(object_id))
        if stage is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, stage):
            raise PermissionDenied
        if request.method != "POST":
            return self._preview(request, stage)
        if not self.has_change_permission(request, stage):
            raise PermissionDenied
        if not stage.is_pending:
            self.message_user(
                request, f"“{stage.file_name}”已处理（{stage.get_status_display()}），未作改动。", messages.WARNING
            )
            return HttpResponseRedirect(request.path)
        if request.POST.get("action") == "discard":
            return self._discard(request, stage)
        return self._confirm(request, stage)

    def _confirm(self, request, stage: StagedImport):
        """Import with the form's corrections; or, with 重新预览, show the preview as corrected."""
        form = StagedMetadataForm(request.POST, parsed=staged_parse(stage))
        if not form.is_valid():
            return self._preview(request, stage, form)
        corrections = form.corrections()
        if request.POST.get("action") == "refresh":
            return self._preview(request, stage, form, corrections)
        try:
            result = staged_import_confirm(
                stage_id=stage.pk, user=request.user, corrections=corrections, take_theirs=chosen_theirs(request.POST)
            )
        except (IngestError, ValidationError, PermissionDenied) as exc:  # nothing was written
            form.add_error(None, _reason(exc))
            return self._preview(request, stage, form, corrections)
        if result is None:
            self.message_user(request, f"“{stage.file_name}”已被处理，未再次导入。", messages.WARNING)
            return HttpResponseRedirect(request.path)
        kept = f"；{len(result.conflicts)} 处冲突保留了人工修改" if result.conflicts else ""
        self.message_user(request, f"已导入“{stage.file_name}”：{result.summary()}{kept}。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:documents_document_change", args=[result.document.pk]))

    def _discard(self, request, stage: StagedImport):
        if staged_import_discard(stage_id=stage.pk, user=request.user):
            self.message_user(request, f"已放弃“{stage.file_name}”，未导入任何内容。", messages.SUCCESS)
        else:
            self.message_user(request, f"“{stage.file_name}”已被处理，未作改动。", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:documents_stagedimport_changelist"))

    def _preview(self, request, stage: StagedImport, form=None, corrections=None):
        preview = staged_import_preview(stage, corrections=corrections)
        if form is None and preview.parsed is not None:
            form = StagedMetadataForm(parsed=preview.parsed, disabled=not stage.is_pending)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"导入预览：{stage.file_name}",
            "stage": stage,
            "preview": preview,
            "form": form,
            "region_names": region_names() if stage.is_pending else [],
            "take_theirs": chosen_theirs(request.POST),
            "may_decide": stage.is_pending and self.has_change_permission(request, stage),
            "not_found": NOT_FOUND,
        }
        return TemplateResponse(request, "admin/documents/stagedimport/preview.html", context)
