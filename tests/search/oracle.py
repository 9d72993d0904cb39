"""What search should return, computed the plain way from the database (no index): the reference the
index is held against. Written independently of ``search.scope`` and ``search.compile``."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q, QuerySet

from documents.models import Document, Organization
from measures.models import Measure, MeasureDepartment, MeasureTheme, Theme
from measures.themes import theme_resolve
from search.engine import parse
from search.schema import phrase_chars


def _descendants(theme: Theme) -> list[Theme]:
    found, frontier = [theme], [theme]
    while frontier:
        frontier = list(Theme.objects.filter(parent__in=frontier))
        found += frontier
    return found


def passing(filters: dict, on: dt.date | None = None) -> QuerySet[Measure]:
    """The measures ``filters`` (valid query-string values) let through."""
    on = on or dt.date.today()
    measures = Measure.objects.all()
    if value := filters.get("document"):
        measures = measures.filter(document_id=int(value))
    if value := filters.get("region"):
        measures = measures.filter(document__region__name__in=[v.strip() for v in value.replace("，", ",").split(",")])
    if value := filters.get("year"):
        measures = measures.filter(document__year=int(value))
    if value := filters.get("year_min"):
        measures = measures.filter(document__year__gte=int(value))
    if value := filters.get("year_max"):
        measures = measures.filter(document__year__lte=int(value))
    if value := filters.get("doc_type"):
        measures = measures.filter(document__doc_type=value)
    for key in ("theme", "domain", "instrument"):
        if value := filters.get(key):
            theme = theme_resolve(value)
            family = _descendants(theme) if theme else []
            ids = MeasureTheme.objects.filter(theme__in=family, active=True).values("measure_id") if theme else []
            measures = measures.filter(pk__in=ids)
    role = filters.get("role")
    if value := filters.get("department"):
        named = Organization.objects.filter(
            Q(name=value) | Q(aliases__name=value) | Q(pk=int(value) if value.isdigit() else -1)
        )
        links = MeasureDepartment.objects.filter(organization__in=named)
        if role:
            links = links.filter(role=role)
        measures = measures.filter(pk__in=links.values("measure_id"))
    elif role:
        measures = measures.filter(pk__in=MeasureDepartment.objects.filter(role=role).values("measure_id"))
    if value := filters.get("kind"):
        measures = measures.filter(kind=value)
    if (value := filters.get("in_force")) is not None:
        current = {d.pk for d in Document.objects.all() if d.status(on) == Document.Status.IN_FORCE}
        measures = (
            measures.filter(document_id__in=current) if value == "true" else measures.exclude(document_id__in=current)
        )
    return measures


def _matches_term(term, tokens: set[str], text: str) -> bool:
    if term.phrase:
        wanted = "".join(phrase_chars(term.text))
        return bool(wanted) and wanted in text
    return all(token in tokens for token in term.tokens)


def matching(query: str, filters: dict | None = None) -> tuple[set[int], set[int]]:
    """(measures matching any word, measures matching every word) of ``query`` within ``filters``,
    read from the stored tokens and the normalised text."""
    parsed = parse(query)
    any_words, every_word = set(), set()
    for measure in passing(filters or {}).only("pk", "title", "text", "search_title", "search_body"):
        tokens = set(measure.search_title.split()) | set(measure.search_body.split())
        title = "".join(phrase_chars(measure.title))
        body = "".join(phrase_chars(measure.text))
        hits = [
            any(_matches_term(term, tokens, title) or _matches_term(term, tokens, body) for term in unit.alternatives)
            for unit in parsed.ranking_units
        ]
        excluded = any(
            _matches_term(term, tokens, title) or _matches_term(term, tokens, body) for term in parsed.excluded
        )
        if excluded:
            continue
        if any(hits):
            any_words.add(measure.pk)
        if hits and all(hits):
            every_word.add(measure.pk)
    return any_words, every_word


def facets(ids: set[int], on: dt.date | None = None) -> dict:
    """Facet counts of these measures, counted one measure at a time."""
    on = on or dt.date.today()
    measures = list(Measure.objects.filter(pk__in=ids).select_related("document__region"))
    regions, years, types, documents, force = Counter(), Counter(), Counter(), Counter(), Counter()
    for measure in measures:
        document = measure.document
        regions[document.region.name] += 1
        years[document.year] += 1
        types[document.doc_type] += 1
        documents[document.pk] += 1
        force["true" if document.status(on) == Document.Status.IN_FORCE else "false"] += 1
    parents = {theme.pk: theme for theme in Theme.objects.all()}
    themes = Counter()
    for measure_id in ids:
        linked = set(MeasureTheme.objects.filter(active=True, measure_id=measure_id).values_list("theme_id", flat=True))
        for theme_id in list(linked):
            while parents[theme_id].parent_id is not None:
                theme_id = parents[theme_id].parent_id
                linked.add(theme_id)
        themes.update(parents[pk].code for pk in linked)
    by_role = {
        role: Counter(
            MeasureDepartment.objects.filter(role=role, measure_id__in=ids).values_list("organization__name", flat=True)
        )
        for role in MeasureDepartment.Role.values
    }
    anyone = Counter()
    for _pk, name in set(
        MeasureDepartment.objects.filter(measure_id__in=ids).values_list("measure_id", "organization__name")
    ):
        anyone[name] += 1
    return {
        "total": len(measures),
        "region": dict(regions),
        "year": dict(years),
        "doc_type": dict(types),
        "document": dict(documents),
        "theme": dict(themes),
        "department": dict(anyone),
        "roles": {role: dict(counter) for role, counter in by_role.items()},
        "in_force": {key: force[key] for key in ("true", "false")},
    }
