"""The site's URLs and error handlers, plus views that fail: for tests/policybase/test_errors.py."""

from django.core.exceptions import ValidationError
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.models import Document
from policybase.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the handlers under test
from policybase.urls import urlpatterns as site_urlpatterns


def page_that_fails(request):
    raise RuntimeError("boom")


def page_that_queries(request):
    return Document.objects.count()


class ApiThatFails(APIView):
    def get(self, request):
        raise RuntimeError("boom")


class ApiThatValidates(APIView):
    def get(self, request):
        raise ValidationError("年份超出范围")
        return Response({})


urlpatterns = [
    path("boom/", page_that_fails),
    path("boom/database/", page_that_queries),
    path("api/boom/", ApiThatFails.as_view()),
    path("api/invalid/", ApiThatValidates.as_view()),
    *site_urlpatterns,
]
