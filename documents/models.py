"""What a policy document is: its issuing body, region, dates, validity, source and text.

Measures (the numbered items of a document) live in the ``measures`` app; the
parts of a periodical (articles, chronicle entries) and the citations between
documents live here because they are parts of the document itself.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from policybase.concurrency import Versioned


class Region(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "国家"
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        DISTRICT = "district", "区县级"

    name = models.CharField("名称", max_length=50, unique=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级地区", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "地区"
        verbose_name_plural = "地区"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def self_and_descendants(self) -> list[Region]:
        """This region and every region below it (the hierarchy is a few levels deep)."""
        found, frontier = [self], [self]
        while frontier:
            frontier = list(Region.objects.filter(parent__in=frontier))
            found.extend(frontier)
        return found


class Organization(Versioned):
    """An issuing body or a department named as responsible for measures."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        GENERAL_OFFICE = "general_office", "政府办公厅（室）"
        DEPARTMENT = "department", "政府部门"
        DISTRICT_GOVERNMENTS = "district_governments", "各区政府（统称）"
        CUSTOMS = "customs", "海关"
        BANK = "bank", "金融机构"
        INSTITUTION = "institution", "事业单位与社会组织"
        GROUP = "group", "有关部门（统称）"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=100, unique=True, help_text="规范全称，如“深圳市商务局”")
    kind = models.CharField("类型", max_length=30, choices=Kind.choices, default=Kind.DEPARTMENT)
    region = models.ForeignKey(
        Region, verbose_name="地区", null=True, blank=True, on_delete=models.PROTECT, related_name="organizations"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationAlias(models.Model):
    """Another spelling of an organization, as written in a document of a region.

    ``市商务委`` in a Guangzhou document and in a Shenzhen document are different
    bodies, so an alias is scoped by region (empty region: valid everywhere).
    """

    organization = models.ForeignKey(
        Organization, verbose_name="机构", on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField("别名", max_length=100)
    region = models.ForeignKey(Region, verbose_name="适用地区", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = "机构别名"
        verbose_name_plural = "机构别名"
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="alias_unique_per_region"),
            models.UniqueConstraint(fields=["name"], condition=Q(region=None), name="alias_unique_without_region"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.region or '通用'}）→ {self.organization}"


class DocumentQuerySet(models.QuerySet):
    def in_force(self, on: dt.date | None = None) -> DocumentQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            valid_until__isnull=False,
            valid_until__gte=on,
        )

    def expired(self, on: dt.date | None = None) -> DocumentQuerySet:
        on = on or timezone.localdate()
        return self.filter(valid_until__lt=on)


class Document(Versioned):
    class DocType(models.TextChoices):
        NOTICE = "notice", "通知"
        MEASURES = "measures", "若干措施"
        OPINION = "opinion", "意见"
        PLAN = "plan", "行动方案"
        REGULATION = "regulation", "办法/规定"
        PERIODICAL = "periodical", "期刊"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        IN_FORCE = "in_force", "现行有效"
        EXPIRED = "expired", "已失效"
        NOT_YET = "not_yet", "尚未生效"
        UNKNOWN = "unknown", "有效期未知"

    title = models.CharField("标题", max_length=300)
    policy_title = models.CharField(
        "政策名称", max_length=300, blank=True, help_text="印发通知所附政策的名称，与标题不同时填写"
    )
    doc_number = models.CharField("文号", max_length=60, blank=True, db_index=True)
    doc_type = models.CharField("类型", max_length=20, choices=DocType.choices, default=DocType.OTHER)
    issuer = models.ForeignKey(
        Organization,
        verbose_name="发文机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    co_issuers = models.ManyToManyField(
        Organization,
        verbose_name="联合发文机关",
        blank=True,
        related_name="co_issued_documents",
        help_text="联合发文时，除第一发文机关外的其他机关",
    )
    region = models.ForeignKey(Region, verbose_name="地区", on_delete=models.PROTECT, related_name="documents")
    issue_date = models.DateField("成文日期", null=True, blank=True)
    year = models.PositiveSmallIntegerField("年份", db_index=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_until = models.DateField("有效期止", null=True, blank=True)
    validity_clause = models.TextField("有效期条款", blank=True)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_url = models.URLField("来源网址", max_length=500, blank=True)
    content_hash = models.CharField("内容指纹（SHA-256）", max_length=64, unique=True)
    encoding = models.CharField("原文编码", max_length=20, blank=True)
    raw_text = models.TextField("原文")
    clean_text = models.TextField("清理后全文")
    preamble = models.TextField("前言", blank=True, help_text="第一条措施之前的正文（通知正文、制定依据等）")
    import_warnings = models.TextField("导入提示", blank=True)
    topic = models.CharField(
        "主题分类",
        max_length=100,
        blank=True,
        help_text="网页政府信息公开栏所载主题分类，如“劳动、人事、监察\\劳动就业”",
    )
    # Where each value read from the text came from, field → 「取自正文第3行」 / 「由发文机关“国务院”推定」.
    provenance = models.JSONField("来源说明", default=dict, blank=True, editable=False)
    # What the source said at the last import; a field that differs from it now was corrected by a person,
    # and a re-import keeps the correction (documents/merge.py).
    import_base = models.JSONField("导入原值", default=dict, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(excluded_fields=["raw_text", "clean_text", "provenance", "import_base", "version"])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        ordering = ["-year", "-issue_date", "title"]
        indexes = [
            models.Index(fields=["region", "year"], name="document_region_year"),
            models.Index(fields=["valid_until"], name="document_valid_until"),
            # recognising a re-import and resolving citations look documents up by these
            models.Index(fields=["title"], name="document_title"),
            models.Index(fields=["policy_title"], name="document_policy_title"),
            models.Index(fields=["source_name"], name="document_source_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="document_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def issuing_level(self) -> str:
        """国家 / 省级 / 市级 / 区县级: the level of the region that issued it."""
        return self.region.get_level_display()

    @property
    def display_title(self) -> str:
        """The name people cite: the enclosed policy's title for a 印发 notice."""
        return self.policy_title or self.title

    def status(self, on: dt.date | None = None) -> str:
        on = on or timezone.localdate()
        if self.valid_from and on < self.valid_from:
            return self.Status.NOT_YET
        if self.valid_until is None:
            return self.Status.UNKNOWN
        return self.Status.IN_FORCE if on <= self.valid_until else self.Status.EXPIRED

    def get_status_display(self) -> str:
        return self.Status(self.status()).label


class Citation(models.Model):
    """A document naming another: resolved to it when it is in the knowledge base."""

    citing = models.ForeignKey(Document, verbose_name="引用文件", on_delete=models.CASCADE, related_name="citations")
    cited = models.ForeignKey(
        Document,
        verbose_name="被引文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
    )
    cited_title = models.CharField("被引标题", max_length=300)
    cited_doc_number = models.CharField("被引文号", max_length=60, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "引用"
        verbose_name_plural = "引用"
        ordering = ["citing", "position"]
        constraints = [models.UniqueConstraint(fields=["citing", "cited_title"], name="citation_unique_title")]
        # each import resolves the older citations that name the new document
        indexes = [
            models.Index(fields=["cited_doc_number"], name="citation_cited_number"),
            models.Index(fields=["cited_title"], name="citation_cited_title"),
        ]

    def __str__(self) -> str:
        number = f"（{self.cited_doc_number}）" if self.cited_doc_number else ""
        return f"《{self.cited_title}》{number}"


class Article(models.Model):
    """An article of a periodical issue."""

    document = models.ForeignKey(Document, verbose_name="期刊", on_delete=models.CASCADE, related_name="articles")
    ordinal = models.PositiveSmallIntegerField("序号")
    title = models.CharField("标题", max_length=300)
    subtitle = models.CharField("副标题", max_length=300, blank=True)
    text = models.TextField("正文")
    page = models.PositiveSmallIntegerField("页码", null=True, blank=True)

    class Meta:
        verbose_name = "期刊文章"
        verbose_name_plural = "期刊文章"
        ordering = ["document", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["document", "ordinal"], name="article_unique_ordinal")]

    def __str__(self) -> str:
        return self.title


class ChronicleEntry(models.Model):
    """A dated item of a chronicle (大事记) in a periodical."""

    document = models.ForeignKey(
        Document, verbose_name="期刊", on_delete=models.CASCADE, related_name="chronicle_entries"
    )
    ordinal = models.PositiveSmallIntegerField("序号")
    number = models.CharField("编号", max_length=10)
    title = models.CharField("标题", max_length=300)
    text = models.TextField("内容")
    date = models.DateField("日期", null=True, blank=True)

    class Meta:
        verbose_name = "大事记条目"
        verbose_name_plural = "大事记条目"
        ordering = ["document", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["document", "ordinal"], name="chronicle_unique_ordinal")]

    def __str__(self) -> str:
        return f"{self.number}{self.title}"


class StagedImport(models.Model):
    """An uploaded file, parsed and waiting for an editor to confirm its preview (or failed to parse).

    The parse is kept as JSON (``documents.ingest.serialize``) so that confirming writes exactly what
    the preview showed, with the editor's corrections, without reading or parsing the file again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        IMPORTED = "imported", "已导入"
        DISCARDED = "discarded", "已放弃"
        FAILED = "failed", "无法导入"

    file_name = models.CharField("文件名", max_length=255)
    file_size = models.PositiveBigIntegerField("文件大小（字节）")
    content_hash = models.CharField("内容指纹（SHA-256）", max_length=64, db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    parsed = models.JSONField("解析结果", default=dict, blank=True, editable=False)
    error = models.TextField("无法导入的原因", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.ForeignKey(
        Document,
        verbose_name="导入的文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staged_imports",
        help_text="确认导入时新建或更新的政策文件",
    )

    class Meta:
        verbose_name = "上传的文件"
        verbose_name_plural = "上传的文件"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
