"""Top-level URLs: pages per app (namespaced), the JSON API, login and the admin.

The health checks (/healthz, /readyz) are answered by ``policybase.health.HealthCheckMiddleware``
before URL resolution; error pages come from ``policybase.errors``.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from policybase.api import PREFIX as API_PREFIX

admin.site.site_header = "政策文本知识库 · 管理"
admin.site.site_title = "政策文本知识库"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", include("measures.urls")),
    path("documents/", include("documents.urls")),
    path(f"{API_PREFIX}schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(f"{API_PREFIX}docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(API_PREFIX, include("policybase.api.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

handler400 = "policybase.errors.bad_request"
handler403 = "policybase.errors.permission_denied"
handler404 = "policybase.errors.page_not_found"
handler500 = "policybase.errors.server_error"
