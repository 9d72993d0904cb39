"""The measure list page: query box, filters with facet counts, ranked and highlighted results.

The whole state lives in the query string (q, filters, sort, page), so a search can be bookmarked.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse

from ..browse_selectors import linked_departments
from ..filters import THEME_FILTERS, filter_errors_text
from ..models import MeasureDepartment
from ..selectors import SORTS, SearchResult, measure_search
from ..themes import themes_resolve

PAGE_SIZE = 20
FILTER_KEYS = (
    "region",
    "year_min",
    "year_max",
    "document",
    "doc_type",
    "theme",
    "domain",
    "instrument",
    "department",
    "role",
    "in_force",
)


# Above this many matches the facet counts (one pass over every match per facet) come in a second request,
# so the results show at once; below, they are counted with the page.
FACETS_INLINE_MAX = 200_000


def _search(request) -> tuple[SearchResult, dict, str, str, QueryDict]:
    """The request's search: (result without facets, filters, sort, error message, the shown query string)."""
    query = request.GET.get("q", "")
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "relevance"
    filters = {key: request.GET[key] for key in FILTER_KEYS if request.GET.get(key, "").strip()}
    error = ""
    # The query string of what the page shows, for its facet links and exports.
    params = request.GET.copy()
    try:
        result = measure_search(query=query, filters=filters, sort=sort, facets=False)
    except ValidationError as invalid:
        filters = {}
        result = measure_search(query=query, sort=sort, facets=False)
        error = f"筛选条件无效，已忽略筛选条件。{filter_errors_text(invalid)}"
        for key in FILTER_KEYS:
            params.pop(key, None)
    params.pop("page", None)
    return result, filters, sort, error, params


def _filter_context(result: SearchResult, filters: dict) -> dict:
    # Every department named on a measure in any role, with its counts in view by role where the facets have them.
    by_role = result.facets.get("department_roles", {})
    labels = dict(MeasureDepartment.Role.choices)
    counts: dict[str, list[str]] = {}
    for role, values in by_role.items():
        for name, n in values:
            counts.setdefault(name, []).append(f"{labels.get(role, role)} {n}")
    departments = list(linked_departments())
    for department in departments:
        department.roles_text = " · ".join(counts.get(department.name, []))
    return {
        "filters": filters,
        "chosen_themes": _chosen_themes(filters),
        "roles": MeasureDepartment.Role.choices,
        "departments": departments,
        "department_chosen": any(department.name == filters.get("department") for department in departments),
    }


def measure_list_page(request):
    result, filters, sort, error, params = _search(request)
    facets_url = ""
    if result.total <= FACETS_INLINE_MAX or request.GET.get("facets") == "1":
        result.load_facets()
    else:
        facets_url = f"{reverse('measures:list_filters')}?{params.urlencode()}"
    page = Paginator(result.results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "result": result,
        "query": request.GET.get("q", ""),
        "sort": sort,
        "sorts": SORTS,
        "params": params,
        "error": error,
        "facets_url": facets_url,
        **_filter_context(result, filters),
    }
    return render(request, "measures/list.html", context)


def measure_list_filters(request):
    """The list page's filters with their counts, for a page that asked for them after showing its results."""
    result, filters, _sort, _error, params = _search(request)
    result.load_facets()
    context = {
        "result": result,
        "params": params,
        "query": request.GET.get("q", ""),
        **_filter_context(result, filters),
    }
    return render(request, "measures/_filters.html", context)


def _chosen_themes(filters: dict) -> dict:
    """The theme each theme filter names, so that its select shows it whether it was given by code, name or
    former code (one query, only when a theme filter is set)."""
    values = {key: filters[key] for key in THEME_FILTERS if key in filters}
    themes = themes_resolve(values.values()) if values else {}
    return {key: themes[value] for key, value in values.items() if value in themes}
