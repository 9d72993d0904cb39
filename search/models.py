"""The change log that feeds the index, and the identity of the database it is built from."""

from __future__ import annotations

import uuid

from django.db import models


class Change(models.Model):
    """One write that search must see, recorded by a trigger in the writer's transaction.

    Exactly one of the ids is set: a measure (its text, links or existence changed), a document
    (its region, year, type, dates, title or number: every measure of it is re-read), or a theme
    (its place in the hierarchy: every measure on it is re-read). ``txid`` is PostgreSQL's
    transaction id, which is what the applier orders by (ids are handed out before commit, so they
    commit out of order); on SQLite, where writers are serialised, it stays empty and the id orders.
    """

    measure_id = models.BigIntegerField(null=True)
    document_id = models.BigIntegerField(null=True)
    theme_id = models.BigIntegerField(null=True)
    txid = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "检索变更记录"
        indexes = [models.Index(fields=["txid"], name="search_change_txid")]

    def __str__(self) -> str:
        what = [
            f"{name} {value}"
            for name, value in (("措施", self.measure_id), ("文件", self.document_id), ("主题", self.theme_id))
            if value
        ]
        return f"#{self.pk} " + "、".join(what)


def _new_identity() -> str:
    return uuid.uuid4().hex


class Identity(models.Model):
    """One row: who this database is. An index built from another database (another DATABASE_URL, a
    deleted and re-created one, a restore the operator marked) carries another value and is rebuilt."""

    value = models.CharField(max_length=32, default=_new_identity)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "检索数据库标识"

    def __str__(self) -> str:
        return self.value
