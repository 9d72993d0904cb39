"""The JSON API: ``/api/documents/``, ``/api/measures/`` and ``/api/themes/``."""

from rest_framework.routers import DefaultRouter

from documents.api import DocumentViewSet
from measures.api import MeasureViewSet, ThemeViewSet

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("measures", MeasureViewSet, basename="measure")
router.register("themes", ThemeViewSet, basename="theme")

urlpatterns = router.urls
