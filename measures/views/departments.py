"""The department page: what a department leads, cooperates on or is responsible for, by theme."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from documents.models import Organization

from ..browse_selectors import department_links
from ..models import MeasureDepartment

UNCLASSIFIED = "未分类"


def department_detail(request, pk: int):
    organization = get_object_or_404(Organization.objects.select_related("region"), pk=pk)
    page = Paginator(department_links(organization=organization), 50).get_page(request.GET.get("page"))
    # Group this page's links by theme (a measure on two themes appears under both), keeping role order.
    groups: dict[str, dict] = {}
    for link in page:
        themes = [theme_link.theme for theme_link in link.measure.active_theme_links] or [None]
        for theme in themes:
            key = theme.name if theme else UNCLASSIFIED
            group = groups.setdefault(key, {"theme": theme, "links": []})
            group["links"].append(link)
    ordered = sorted(groups.values(), key=lambda g: (g["theme"] is None, g["theme"].sort_order if g["theme"] else 0))
    labels = dict(MeasureDepartment.Role.choices)
    totals = [
        (labels[row["role"]], row["count"])
        for row in organization.measure_links.values("role").annotate(count=Count("id")).order_by("role")
    ]
    context = {"organization": organization, "page": page, "groups": ordered, "totals": totals}
    return render(request, "measures/department.html", context)
