"""The measure list page: filters (and, with the search issue, the query box)."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render

from ..models import Theme
from ..selectors import measure_list


def measure_list_page(request):
    try:
        measures = measure_list(filters=request.GET.dict())
        error = ""
    except ValidationError:
        measures = measure_list(filters={})
        error = "筛选条件无效，已显示全部措施。"
    page = Paginator(measures, 20).get_page(request.GET.get("page"))
    return render(request, "measures/list.html", {"page": page, "error": error, "themes": Theme.objects.all()})
