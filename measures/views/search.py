"""The measure list page: query box, filters with facet counts, ranked and highlighted results.

The whole state lives in the query string (q, filters, sort, page), so a search can be bookmarked.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render

from ..models import MeasureDepartment
from ..selectors import SORTS, measure_search

PAGE_SIZE = 20
FILTER_KEYS = ("region", "year_min", "year_max", "document", "doc_type", "theme", "department", "role", "in_force")


def measure_list_page(request):
    query = request.GET.get("q", "")
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "relevance"
    filters = {key: request.GET[key] for key in FILTER_KEYS if request.GET.get(key, "").strip()}
    error = ""
    try:
        result = measure_search(query=query, filters=filters, sort=sort)
    except ValidationError:
        filters = {}
        result = measure_search(query=query, sort=sort)
        error = "筛选条件无效，已忽略筛选条件。"
    page = Paginator(result.results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "result": result,
        "query": query,
        "sort": sort,
        "sorts": SORTS,
        "filters": filters,
        "roles": MeasureDepartment.Role.choices,
        "error": error,
    }
    return render(request, "measures/list.html", context)
