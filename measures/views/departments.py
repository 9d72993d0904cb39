"""The department page: what a department leads, cooperates on or is responsible for, by theme."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from documents.models import Organization

from ..browse_selectors import department_links
from ..models import MeasureDepartment
from ..themes import UNCLASSIFIED, domain_path, measure_facets


def department_detail(request, pk: int):
    organization = get_object_or_404(Organization.objects.select_related("region"), pk=pk)
    page = Paginator(department_links(organization=organization), 50).get_page(request.GET.get("page"))
    # Group this page's links by policy domain, the most specific ones (a measure in two domains appears
    # under both), keeping role order; a measure with no domain under 未分类.
    groups: dict[str, dict] = {}
    for link in page:
        themes = [theme_link.theme for theme_link in measure_facets(link.measure.active_theme_links).domains]
        for theme in themes or [None]:
            key = theme.code if theme else UNCLASSIFIED
            group = groups.setdefault(key, {"theme": theme, "label": domain_path(theme) if theme else "", "links": []})
            group["links"].append(link)
    ordered = sorted(groups.values(), key=lambda g: _taxonomy_order(g["theme"]))
    labels = dict(MeasureDepartment.Role.choices)
    totals = [
        (labels[row["role"]], row["count"])
        for row in organization.measure_links.values("role").annotate(count=Count("id")).order_by("role")
    ]
    context = {"organization": organization, "page": page, "groups": ordered, "totals": totals}
    return render(request, "measures/department.html", context)


def _taxonomy_order(theme) -> tuple:
    """Domains in taxonomy order, a sub-domain after its parent; 未分类 (None) last."""
    if theme is None:
        return (1,)
    root = theme.parent or theme
    return (0, root.sort_order, root.code, theme.parent_id is not None, theme.sort_order, theme.code)
