"""Themes as pages, the API and the exports read them: one way to name a theme, the domain tree, a measure's
themes by facet and why it has them.

- A theme is named by its code, its name or one of its former codes (``Theme.former_codes``: the first
  taxonomy's codes, so old links and API parameters keep working), in that order: a current code wins over
  a former one (``finance`` is now the domain 财政、金融、审计, once the instrument 金融与融资's code).
- Domains form a tree (商贸、海关、旅游 › 跨境电子商务); a measure's automatic links include each domain's
  ancestors, so a parent's count and filter already cover its sub-domains, and a measure shows only its most
  specific domains (with their parent) to people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q

from .models import MeasureTheme, Theme

DOMAIN, INSTRUMENT = Theme.Facet.DOMAIN, Theme.Facet.INSTRUMENT
UNCLASSIFIED = "未分类"
INHERITED_PREFIX = "下级主题："  # the reason an ancestor's automatic link gives: the sub-domain's code follows

T = TypeVar("T")


# --- naming a theme ---------------------------------------------------------------------------------


def _formerly(value: str) -> Q:
    return (
        Q(former_codes=value)
        | Q(former_codes__startswith=f"{value} ")
        | Q(former_codes__endswith=f" {value}")
        | Q(former_codes__contains=f" {value} ")
    )


def _named(value: str) -> Q:
    return Q(code=value) | Q(name=value) | _formerly(value)


def _best(value: str, themes: Iterable[Theme]) -> Theme | None:
    themes = list(themes)
    for matches in (
        lambda t: t.code == value,
        lambda t: t.name == value,
        lambda t: value in t.former_code_list,
    ):
        if found := next((theme for theme in themes if matches(theme)), None):
            return found
    return None


def themes_resolve(values: Iterable[str]) -> dict[str, Theme]:
    """The theme each value names (code, then name, then former code), in one query; unknown values are left out."""
    values = {value.strip() for value in values if value and value.strip()}
    if not values:
        return {}
    condition = Q()
    for value in values:
        condition |= _named(value)
    candidates = list(Theme.objects.filter(condition).select_related("parent"))
    return {value: theme for value in values if (theme := _best(value, candidates)) is not None}


def theme_resolve(value: str) -> Theme | None:
    """The theme ``value`` names (code, name or former code), or None."""
    return themes_resolve([value]).get((value or "").strip())


def theme_by_former_code(code: str) -> Theme | None:
    """The theme that once had ``code`` (when no theme has it now), for redirecting old URLs."""
    candidates = list(Theme.objects.filter(Q(code=code) | _formerly(code)))
    if any(theme.code == code for theme in candidates):
        return None
    return _best(code, candidates)


# --- the tree ---------------------------------------------------------------------------------------


def tree_order(
    items: Sequence[T], *, key: Callable[[T], int], parent: Callable[[T], int | None], order: Callable[[T], object]
) -> list[tuple[T, int]]:
    """``items`` as a tree, each with its depth: each item followed by its children, siblings by ``order``.

    An item whose parent is not among ``items`` starts a tree of its own."""
    keys = {key(item) for item in items}
    children: dict[int | None, list[T]] = {}
    for item in items:
        children.setdefault(parent(item) if parent(item) in keys else None, []).append(item)
    ordered: list[tuple[T, int]] = []

    def walk(parent_key: int | None, depth: int) -> None:
        for item in sorted(children.get(parent_key, []), key=order):
            ordered.append((item, depth))
            if depth < 10:  # a cycle the admin refuses, not followed
                walk(key(item), depth + 1)

    walk(None, 0)
    return ordered


def themes_tree(themes: Iterable[Theme]) -> dict[str, list[tuple[Theme, int]]]:
    """Themes by facet: domains as a tree (a parent, then its sub-domains), instruments in a flat list;
    in taxonomy order (``sort_order``)."""
    themes = list(themes)
    by_facet = {}
    for facet in (DOMAIN, INSTRUMENT):
        of_facet = [theme for theme in themes if theme.facet == facet]
        by_facet[facet] = tree_order(
            of_facet, key=lambda t: t.pk, parent=lambda t: t.parent_id, order=lambda t: (t.sort_order, t.code)
        )
    return by_facet


def nested(tree: list[tuple[Theme, int]]) -> list[tuple[Theme, list[Theme]]]:
    """A tree from ``themes_tree`` as top-level themes each with the themes under it (at any depth)."""
    groups: list[tuple[Theme, list[Theme]]] = []
    for theme, depth in tree:
        if depth == 0 or not groups:
            groups.append((theme, []))
        else:
            groups[-1][1].append(theme)
    return groups


# --- a measure's themes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeFacets:
    """A measure's active theme links by facet. ``domains``: the most specific ones (an ancestor linked
    because of its sub-domain is implied by it); ``all_domains``: every domain link, parents first."""

    domains: list[MeasureTheme]
    all_domains: list[MeasureTheme]
    instruments: list[MeasureTheme]

    @property
    def unclassified(self) -> bool:
        return not self.domains

    @property
    def primary(self) -> Theme | None:
        """The theme a measure is compared on: its first domain, else its first instrument."""
        first = (self.domains or self.instruments or [None])[0]
        return first.theme if first else None


def measure_facets(links: Iterable[MeasureTheme]) -> ThemeFacets:
    """Split a measure's active links (with ``theme`` loaded) by facet; see ``ThemeFacets``."""
    links = list(links)
    domains = [link for link in links if link.theme.facet == DOMAIN]
    ancestors = {link.theme.parent_id for link in domains if link.theme.parent_id}
    all_domains = [
        link
        for link, _ in tree_order(
            domains,
            key=lambda link: link.theme_id,
            parent=lambda link: link.theme.parent_id,
            order=lambda link: (link.theme.sort_order, link.theme.code),
        )
    ]
    return ThemeFacets(
        domains=[link for link in all_domains if link.theme_id not in ancestors],
        all_domains=all_domains,
        instruments=[link for link in links if link.theme.facet == INSTRUMENT],
    )


def domain_path(theme: Theme) -> str:
    """``商贸、海关、旅游 › 跨境电子商务``: a domain with its parent (``theme.parent`` loaded)."""
    return f"{theme.parent.name} › {theme.name}" if theme.parent_id and theme.parent else theme.name


def facets_text(links: Iterable[MeasureTheme]) -> tuple[str, str]:
    """(domains, instruments) of a measure as one line each, for a spreadsheet: most specific domains with
    their parent; ``未分类`` when the measure has no domain."""
    facets = measure_facets(links)
    domains = "；".join(domain_path(link.theme) for link in facets.domains) or UNCLASSIFIED
    return domains, "、".join(link.theme.name for link in facets.instruments)


def link_reason(link: MeasureTheme, siblings: Iterable[MeasureTheme] = ()) -> str:
    """Why a measure has a theme, for people: 「人工设定」, or 「依据：关键词 海外仓、跨境电商」; an ancestor linked
    through a sub-domain says which one, with that link's own reason (``siblings``: the measure's other links)."""
    if link.source == MeasureTheme.Source.MANUAL:
        return "人工设定"
    reason = link.reason
    if reason.startswith(INHERITED_PREFIX):
        code = reason.removeprefix(INHERITED_PREFIX)
        child = next((other for other in siblings if other.theme.code == code), None)
        if child is None:
            return "依据：下级主题"
        inner = link_reason(child).removeprefix("依据：")
        return f"依据：下级主题「{child.theme.name}」" + (f"，{inner}" if inner and inner != "人工设定" else "")
    reason = reason.replace("关键词：", "关键词 ")
    return f"依据：{reason}" if reason else "依据：自动分类"
