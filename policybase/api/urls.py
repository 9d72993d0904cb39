"""The JSON API: ``/api/documents/`` and ``/api/measures/``."""

from rest_framework.routers import DefaultRouter

from documents.api import DocumentViewSet
from measures.api import MeasureViewSet

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("measures", MeasureViewSet, basename="measure")

urlpatterns = router.urls
