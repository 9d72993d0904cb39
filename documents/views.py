"""Document pages: the filtered list and a document with its card, outline, full text and citations."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from measures.selectors import measure_queryset

from .filters import DocumentFilter
from .models import Document
from .selectors import DOCUMENT_SORTS
from .selectors import document_list as select_documents


def document_list(request):
    filters = {key: value for key, value in request.GET.dict().items() if key not in ("page", "sort")}
    sort = request.GET.get("sort") or ("relevance" if request.GET.get("q", "").strip() else "newest")
    try:
        documents = select_documents(filters=filters, sort=sort)
        error = ""
    except ValidationError:
        documents = select_documents(filters={}, sort=sort)
        error = "筛选条件无效，已显示全部文件。"
    page = Paginator(documents, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": DocumentFilter(request.GET or None).form,
        "sort": sort if sort in DOCUMENT_SORTS else "newest",
        "sorts": [
            *([("relevance", "最匹配")] if request.GET.get("q", "").strip() else []),
            ("newest", "最新在前"),
            ("oldest", "最早在前"),
            ("title", "按标题"),
            ("measures", "措施最多"),
        ],
        "error": error,
    }
    return render(request, "documents/list.html", context)


def document_detail(request, pk: int):
    document = get_object_or_404(Document.objects.select_related("region", "issuer"), pk=pk)
    context = {
        "document": document,
        "measures": measure_queryset().filter(document=document).order_by("ordinal"),
        "citations": document.citations.select_related("cited"),
        "cited_by": document.cited_by.select_related("citing").defer(
            "citing__raw_text", "citing__clean_text", "citing__preamble"
        ),
        "articles": document.articles.all(),
        "chronicle": document.chronicle_entries.all(),
    }
    return render(request, "documents/detail.html", context)
