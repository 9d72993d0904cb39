"""No lost updates: a version on each record people edit, checked when an edit is saved.

Every save of a ``Versioned`` record bumps its version in the database (``version = version + 1``), whoever
writes it: the admin, an import, a history revert. The admin form carries the version the editor opened; if
the record has moved on since, the save is refused with who changed what since then (from the record's
history), instead of silently overwriting the other person's change.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import F
from django.utils import timezone


class Versioned(models.Model):
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is None or kwargs.get("force_insert") or self._state.adding:
            return super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        self.version = F("version") + 1
        try:
            return super().save(*args, **kwargs)
        finally:
            self.version = type(self)._base_manager.filter(pk=self.pk).values_list("version", flat=True).first() or 1


def version_bump() -> dict:
    """What a ``QuerySet.update`` of versioned rows adds, so set-based writes count as writes too."""
    return {"version": F("version") + 1}


class VersionCheckedForm(forms.ModelForm):
    """An admin form that remembers the version it showed and refuses to overwrite a newer one."""

    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    opened_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version_seen"].initial = self.instance.version
            self.fields["opened_at"].initial = timezone.now()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or cleaned.get("version_seen") in (None, ""):
            return cleaned
        current = (
            type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        )
        if current is not None and current != cleaned["version_seen"]:
            raise forms.ValidationError(
                changed_since_message(self.instance, cleaned.get("opened_at")), code="stale_version"
            )
        return cleaned


def changed_since_message(instance, opened_at) -> str:
    """「保存失败：打开此页后，张三（11:02）修改了 标题、正文。…」 from the record's history."""
    changes = []
    history = getattr(instance, "history", None)
    if history is not None and opened_at is not None:
        records = list(
            history.filter(history_date__gt=opened_at).order_by("history_date").select_related("history_user")
        )
        for record in records:
            who = str(record.history_user) if record.history_user else "导入或系统"
            when = timezone.localtime(record.history_date).strftime("%H:%M")
            fields = []
            previous = record.prev_record
            if previous is not None:
                delta = record.diff_against(previous)
                fields = [str(instance._meta.get_field(change.field).verbose_name) for change in delta.changes]
            changes.append(f"{who}（{when}）修改了{'、'.join(fields) if fields else '此记录'}")
    said = "；".join(changes) if changes else "有人修改了此记录"
    return f"保存失败：打开此页后，{said}。您的修改未保存，以免覆盖他人的修改。请刷新页面，在最新内容上重新修改。"
