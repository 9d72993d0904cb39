"""Document pages: the list and a document with its outline, text and citations."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from measures.selectors import measure_queryset

from .models import Document
from .selectors import document_queryset


def document_list(request):
    page = Paginator(document_queryset(), 30).get_page(request.GET.get("page"))
    return render(request, "documents/list.html", {"page": page})


def document_detail(request, pk: int):
    document = get_object_or_404(Document.objects.select_related("region", "issuer"), pk=pk)
    context = {
        "document": document,
        "measures": measure_queryset().filter(document=document).order_by("ordinal"),
        "citations": document.citations.select_related("cited"),
        "cited_by": document.cited_by.select_related("citing"),
        "articles": document.articles.all(),
        "chronicle": document.chronicle_entries.all(),
    }
    return render(request, "documents/detail.html", context)
