"""The measure list page: query box, filters with facet counts, ranked and highlighted results.

The whole state lives in the query string (q, filters, sort, page), so a search can be bookmarked.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render

from ..browse_selectors import linked_departments
from ..filters import THEME_FILTERS, filter_errors_text
from ..models import MeasureDepartment
from ..selectors import SORTS, measure_search
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


def measure_list_page(request):
    query = request.GET.get("q", "")
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "relevance"
    filters = {key: request.GET[key] for key in FILTER_KEYS if request.GET.get(key, "").strip()}
    error = ""
    # The query string of what the page shows, for its facet links and exports.
    params = request.GET.copy()
    try:
        result = measure_search(query=query, filters=filters, sort=sort)
    except ValidationError as invalid:
        filters = {}
        result = measure_search(query=query, sort=sort)
        error = f"筛选条件无效，已忽略筛选条件。{filter_errors_text(invalid)}"
        for key in FILTER_KEYS:
            params.pop(key, None)
    page = Paginator(result.results, PAGE_SIZE).get_page(request.GET.get("page"))
    # Every department named on a measure in any role; the in-view count where the facets have one (牵头).
    leads = dict(result.facets.get("department", []))
    departments = list(linked_departments())
    for department in departments:
        department.roles_text = f"牵头 {leads[department.name]}" if department.name in leads else ""
    context = {
        "page": page,
        "result": result,
        "query": query,
        "sort": sort,
        "sorts": SORTS,
        "filters": filters,
        "params": params,
        "chosen_themes": _chosen_themes(filters),
        "roles": MeasureDepartment.Role.choices,
        "departments": departments,
        "department_chosen": any(department.name == filters.get("department") for department in departments),
        "error": error,
    }
    return render(request, "measures/list.html", context)


def _chosen_themes(filters: dict) -> dict:
    """The theme each theme filter names, so that its select shows it whether it was given by code, name or
    former code (one query, only when a theme filter is set)."""
    values = {key: filters[key] for key in THEME_FILTERS if key in filters}
    themes = themes_resolve(values.values()) if values else {}
    return {key: themes[value] for key, value in values.items() if value in themes}
