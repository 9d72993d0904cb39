"""The theme admin's keyword-change preview: which measures an edited keyword list would give or take the
theme, before anything is saved.

A measure *matches* when at least one keyword hits its title or text the way ``measures.classify`` finds
hits, read from the tokens every measure stores (``Measure.search_title`` / ``search_body``: the same
analyzer tokens the classifier counts):

- a keyword that is one token is looked up in the full-text index, which holds exactly those tokens;
- a keyword of three or more characters that the analyzer splits (电子商务进农村) counts where it occurs in
  the text: its candidates are the measures with all of its words (from the index), and in each the keyword
  is looked for in the measure's words joined again.

Only a rule for the edited theme is compiled, so this is a candidate set, not the classifier's decision,
which also weighs the document's field (a domain) or asks for a minimum score (an instrument); the page says
so. What the edit changes is compared with the measures automatically linked to the theme now:

- *gained*: measures the edited keywords hit and the stored ones did not, not linked now (nor excluded by a
  person);
- *lost*: measures linked now that the stored keywords hit and the edited ones do not (a link the rules gave
  for another reason, such as the document's 主题分类, does not depend on the keywords), unless a person set
  it or a sub-domain keeps its parent.

Unchanged keywords change nothing, whatever the classifier made of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from search.engine import ids_with_tokens

from .classify import CompiledRules, ThemeRule, compile_rules
from .models import Measure, MeasureTheme, Theme
from .tokenize import keyword_tokens

EXAMPLES = 50
CHUNK = 1000  # candidate ids read per query


@dataclass
class KeywordPreview:
    theme: Theme
    keywords: list[str]  # as edited
    added_keywords: list[str]
    removed_keywords: list[str]
    matched: int  # measures the edited keywords hit
    matched_before: int  # … the stored keywords hit
    linked: int  # measures automatically linked to the theme now
    gained: int  # newly hit, not linked now (nor excluded by a person)
    lost: int  # linked now, hit before and no longer (nor kept by a person or a sub-domain)
    kept_by_subdomain: int  # linked now, hit before and no longer, but kept because a sub-domain is linked
    manual: int  # decisions people made on this theme (set or removed), never changed by rules
    gained_examples: list[Measure] = field(default_factory=list)  # each with ``hits``: the words that matched
    lost_examples: list[Measure] = field(default_factory=list)  # each with ``reason``: why it is linked now


def keyword_preview(*, theme: Theme, keywords: str, examples: int = EXAMPLES) -> KeywordPreview:
    """What ``keywords`` (the admin form's text, not saved) would change for ``theme``: see the module."""
    edited, current = Theme(keywords=keywords).keyword_list, theme.keyword_list
    rules = _rules(theme, edited)
    matched = _matching(rules)
    before = matched if edited == current else _matching(_rules(theme, current))

    auto, manual_on, manual_off = set(), set(), set()
    for measure_id, source, active in MeasureTheme.objects.filter(theme=theme).values_list(
        "measure_id", "source", "active"
    ):
        if source == MeasureTheme.Source.MANUAL:
            (manual_on if active else manual_off).add(measure_id)
        elif active:
            auto.add(measure_id)
    via_subdomain = _linked_to_descendants(theme)

    gained = matched - before - auto - manual_on - manual_off
    unmatched = (before - matched) & auto
    lost = unmatched - via_subdomain
    return KeywordPreview(
        theme=theme,
        keywords=edited,
        added_keywords=[word for word in edited if word not in current],
        removed_keywords=[word for word in current if word not in edited],
        matched=len(matched),
        matched_before=len(before),
        linked=len(auto),
        gained=len(gained),
        lost=len(lost),
        kept_by_subdomain=len(unmatched & via_subdomain),
        manual=len(manual_on) + len(manual_off),
        gained_examples=_with_hits(_examples(gained, examples), rules),
        lost_examples=_with_reasons(_examples(lost, examples), theme),
    )


def _rules(theme: Theme, keywords: list[str]) -> CompiledRules:
    return compile_rules([ThemeRule(code=theme.code, keywords=keywords, facet=theme.facet)])


def _matching(rules: CompiledRules) -> set[int]:
    """Ids of the measures with at least one hit of ``rules``' keywords."""
    matched = set(ids_with_tokens([[token] for token in rules.by_token]))
    literals = [text for text, _, _ in rules.literals]
    if literals:
        candidates = sorted(set(ids_with_tokens([keyword_tokens(text) for text in literals])) - matched)
        for start in range(0, len(candidates), CHUNK):
            rows = Measure.objects.filter(pk__in=candidates[start : start + CHUNK]).values_list(
                "pk", "search_title", "search_body"
            )
            matched.update(pk for pk, title, body in rows if _literal_hits(title, body, literals))
    return matched


def _words(tokens: str) -> str:
    """A measure's words joined again from its stored tokens, without the sub-words the analyzer adds after
    a long word (跨境电子商务 is followed by 电子商务, 电子, 商务 …): close to its normalised text."""
    joined, current = [], ""
    for token in tokens.split():
        if current and len(token) < len(current) and token in current and not current.isascii():
            continue
        joined.append(token)
        current = token
    return "".join(joined)


def _literal_hits(title: str, body: str, literals: Iterable[str]) -> list[str]:
    words = _words(title) + "\n" + _words(body)
    return [literal for literal in literals if literal in words]


def _linked_to_descendants(theme: Theme) -> set[int]:
    """Measures actively linked to a sub-theme (at any depth): their automatic link to ``theme`` stays."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Theme.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    descendants, stack = set(), list(children.get(theme.pk, []))
    while stack:
        pk = stack.pop()
        if pk not in descendants:
            descendants.add(pk)
            stack.extend(children.get(pk, []))
    if not descendants:
        return set()
    return set(MeasureTheme.objects.filter(theme_id__in=descendants, active=True).values_list("measure_id", flat=True))


def _examples(ids: set[int], limit: int) -> list[Measure]:
    """Up to ``limit`` of the measures, the most recently added first, with their document and region."""
    chosen = sorted(ids, reverse=True)[:limit]
    measures = (
        Measure.objects.filter(pk__in=chosen)
        .select_related("document", "document__region")
        .only(
            "pk",
            "number",
            "title",
            "search_title",
            "search_body",
            "document__title",
            "document__policy_title",
            "document__year",
            "document__region__name",
        )
    )
    by_id = {measure.pk: measure for measure in measures}
    return [by_id[pk] for pk in chosen if pk in by_id]


def _with_hits(measures: list[Measure], rules: CompiledRules) -> list[Measure]:
    literals = [text for text, _, _ in rules.literals]
    for measure in measures:
        tokens = set(measure.search_title.split()) | set(measure.search_body.split())
        hits = [token for token in rules.by_token if token in tokens]
        measure.hits = hits + _literal_hits(measure.search_title, measure.search_body, literals)
    return measures


def _with_reasons(measures: list[Measure], theme: Theme) -> list[Measure]:
    reasons = dict(
        MeasureTheme.objects.filter(theme=theme, measure_id__in=[m.pk for m in measures]).values_list(
            "measure_id", "reason"
        )
    )
    for measure in measures:
        measure.reason = reasons.get(measure.pk, "")
    return measures
