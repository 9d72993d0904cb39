"""Template filters for a measure's themes: by facet, and why the measure has one (``measures.themes``).

They read the measure's prefetched ``active_theme_links`` (``selectors.measure_queryset``): no queries.
"""

from django import template

from ..themes import ThemeFacets, link_reason, measure_facets

register = template.Library()


@register.filter
def theme_facets(measure) -> ThemeFacets:
    """``{% with facets=measure|theme_facets %}``: domains (most specific) and instruments."""
    return measure_facets(measure.active_theme_links)


@register.filter
def link_to(measure, theme):
    """The measure's active link to ``theme``, or None."""
    return next((link for link in measure.active_theme_links if link.theme_id == theme.pk), None)


@register.filter
def reason(link, measure) -> str:
    """「依据：关键词 海外仓、跨境电商」 or 「人工设定」 for ``link``, one of ``measure``'s links."""
    return link_reason(link, measure.active_theme_links)


@register.filter
def percent(value) -> str:
    """0.95 → 95%."""
    return f"{round(float(value or 0) * 100)}%"


@register.simple_tag
def query_with(params, **changes) -> str:
    """``?…`` for the current query string with ``changes`` (None removes a key) and without ``page``:
    ``{% query_with request.GET domain=code %}``."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode()
