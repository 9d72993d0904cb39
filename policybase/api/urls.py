"""The JSON API: ``/api/documents/``, ``/api/measures/``, ``/api/themes/``, ``/api/departments/`` and
``/api/regions/``."""

from rest_framework.routers import DefaultRouter

from documents.api import DocumentViewSet, RegionViewSet
from measures.api import DepartmentViewSet, MeasureViewSet, ThemeViewSet

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("measures", MeasureViewSet, basename="measure")
router.register("themes", ThemeViewSet, basename="theme")
router.register("departments", DepartmentViewSet, basename="department")
router.register("regions", RegionViewSet, basename="region")

urlpatterns = router.urls
