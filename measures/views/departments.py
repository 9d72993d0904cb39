"""The departments index and a department's page: its measures by role (牵头, 负责, 配合), then document."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from documents.models import Organization

from ..browse_selectors import department_links, linked_departments, role_totals


def department_list(request):
    """Every department named on a measure, by region, with its measures per role."""
    return render(request, "measures/departments.html", {"departments": linked_departments(counts=True)})


def department_detail(request, pk: int):
    organization = get_object_or_404(Organization.objects.select_related("region"), pk=pk)
    page = Paginator(department_links(organization=organization), 50).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "page": page,
        "groups": _by_role_and_document(page),
        "totals": role_totals(organization=organization),
    }
    return render(request, "measures/department.html", context)


def _by_role_and_document(links) -> list[dict]:
    """A page of links (in role, then document order) as [{role, documents: [{document, links}]}]."""
    groups: list[dict] = []
    for link in links:
        if not groups or groups[-1]["role"] != link.role:
            groups.append({"role": link.role, "label": link.get_role_display(), "documents": [], "count": 0})
        documents = groups[-1]["documents"]
        if not documents or documents[-1]["document"].pk != link.measure.document_id:
            documents.append({"document": link.measure.document, "links": []})
        documents[-1]["links"].append(link)
        groups[-1]["count"] += 1
    return groups
