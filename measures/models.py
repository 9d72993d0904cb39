"""Measures (the numbered items of a policy document), themes and responsible departments."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from documents.models import Document, Organization
from policybase.concurrency import Versioned


class Theme(Versioned):
    """A theme of the controlled taxonomy: a policy domain or a policy instrument (its facet), possibly under a
    parent theme; its keywords drive automatic classification."""

    class Facet(models.TextChoices):
        DOMAIN = "domain", "政策领域"
        INSTRUMENT = "instrument", "政策工具"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    facet = models.CharField("维度", max_length=12, choices=Facet.choices, default=Facet.DOMAIN, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级主题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="同一维度内的上级主题，如“跨境电子商务”的上级是“商贸、海关、旅游”",
    )
    former_codes = models.CharField(
        "旧代码", max_length=200, blank=True, help_text="旧版主题代码（空格分隔）：旧链接与旧参数自动转到本主题"
    )
    description = models.TextField("说明", blank=True)
    keywords = models.TextField(
        "关键词",
        blank=True,
        help_text="用空格或逗号分隔；标题中出现的关键词权重更高。修改后运行 classify_measures 重新分类。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "主题"
        verbose_name_plural = "主题"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:theme", args=[self.code])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent is not None:
            if self.parent.facet != self.facet:
                raise ValidationError({"parent": "上级主题须属于同一维度（政策领域或政策工具）。"})
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": "上级主题不能是本主题或其下级。"})
                ancestor = ancestor.parent

    @property
    def former_code_list(self) -> list[str]:
        return self.former_codes.split()

    @property
    def keyword_list(self) -> list[str]:
        return [word for word in self.keywords.replace("，", ",").replace(",", " ").split() if word]


class Measure(Versioned):
    class Kind(models.TextChoices):
        MEASURE = "measure", "措施"
        GENERAL = "general", "总体要求"

    document = models.ForeignKey(Document, verbose_name="所属文件", on_delete=models.CASCADE, related_name="measures")
    ordinal = models.PositiveSmallIntegerField("序号")
    number = models.CharField("编号", max_length=20, help_text="原文编号，如“（三）”")
    chapter = models.CharField("所属章节", max_length=200, blank=True)
    title = models.CharField("标题", max_length=300)
    text = models.TextField("正文")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.MEASURE)
    themes = models.ManyToManyField(Theme, verbose_name="主题", through="MeasureTheme", related_name="measures")
    departments = models.ManyToManyField(
        Organization, verbose_name="责任部门", through="MeasureDepartment", related_name="measures"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Search index source (measures/search.py): space-joined analyzer tokens, written by
    # measures_after_write in the writer's transaction. The database indexes these columns
    # (PostgreSQL: a generated weighted tsvector with GIN; SQLite: an FTS5 table kept by triggers).
    search_title = models.TextField("标题检索词", blank=True, default="", editable=False)
    search_body = models.TextField("正文检索词", blank=True, default="", editable=False)
    search_version = models.CharField("分词版本", max_length=20, blank=True, default="", editable=False)
    # What the source said at the last import (number, chapter, title, text, kind, departments): a field that
    # differs from it now was corrected by a person, and a re-import keeps the correction (documents/merge.py).
    import_base = models.JSONField("导入原值", default=dict, blank=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=["search_title", "search_body", "search_version", "import_base", "version"]
    )

    class Meta:
        verbose_name = "措施"
        verbose_name_plural = "措施"
        ordering = ["document", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["document", "ordinal"], name="measure_unique_ordinal")]

    def __str__(self) -> str:
        return f"{self.number}{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", args=[self.pk])


class MeasureTheme(models.Model):
    """A measure's theme, with who decided it.

    A row with ``source=manual`` was set or removed by a person (``active=False``
    records a removal) and is never touched by automatic classification.
    """

    class Source(models.TextChoices):
        AUTO = "auto", "自动分类"
        MANUAL = "manual", "人工设定"

    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(Theme, verbose_name="主题", on_delete=models.CASCADE, related_name="measure_links")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MANUAL)
    active = models.BooleanField("有效", default=True, help_text="取消勾选表示人工排除该主题，自动分类不会再加回")
    score = models.FloatField("分类得分", default=0)
    confidence = models.FloatField("置信度", default=0, help_text="0–1：自动分类对该主题的把握")
    reason = models.CharField("分类依据", max_length=200, blank=True, help_text="命中的关键词或文件的主题分类")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "措施主题"
        verbose_name_plural = "措施主题"
        ordering = ["measure", "-score", "theme__sort_order"]
        constraints = [models.UniqueConstraint(fields=["measure", "theme"], name="measure_theme_unique")]
        indexes = [models.Index(fields=["theme", "active"], name="measure_theme_active")]

    def __str__(self) -> str:
        return f"{self.measure} · {self.theme}"


class MeasureDepartment(models.Model):
    """A department responsible for a measure, with its role as written (牵头/配合/负责)."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        COOPERATE = "cooperate", "配合"
        RESPONSIBLE = "responsible", "负责"

    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.CASCADE, related_name="department_links")
    organization = models.ForeignKey(
        Organization, verbose_name="部门", on_delete=models.PROTECT, related_name="measure_links"
    )
    role = models.CharField("职责", max_length=12, choices=Role.choices)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    name_as_written = models.CharField("原文写法", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True, help_text="原文〈〉中的说明")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "责任部门"
        verbose_name_plural = "责任部门"
        ordering = ["measure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "organization", "role"], name="measure_department_unique")
        ]
        indexes = [models.Index(fields=["organization", "role"], name="measure_department_org_role")]

    def __str__(self) -> str:
        return f"{self.organization}（{self.get_role_display()}）"


class Synonym(models.Model):
    """A group of equivalent terms an administrator maintains; applied to queries, so no reindex is needed."""

    terms = models.CharField(
        "同义词组",
        max_length=300,
        unique=True,
        help_text="用空格、逗号或“=”分隔的等价词，如“电商 = 电子商务”。搜索其中任一词时，也会找到其他词。",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        ordering = ["terms"]

    def __str__(self) -> str:
        return " = ".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        cleaned = self.terms
        for separator in ("，", ",", "＝", "=", "、", "；", ";"):
            cleaned = cleaned.replace(separator, " ")
        return [term for term in cleaned.split() if term]
