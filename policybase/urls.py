"""Top-level URLs: pages per app (namespaced), the JSON API and the admin."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "政策文本知识库 · 管理"
admin.site.site_title = "政策文本知识库"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", include("measures.urls")),
    path("documents/", include("documents.urls")),
    path("api/", include("policybase.api.urls")),
    path("admin/", admin.site.urls),
]
