from django.urls import path

from .views import browse, search

app_name = "measures"
urlpatterns = [
    path("", browse.home, name="home"),
    path("measures/", search.measure_list_page, name="list"),
    path("measures/filters/", search.measure_list_filters, name="list_filters"),
    path("measures/<int:pk>/", browse.measure_detail, name="detail"),
    path("themes/", browse.theme_list, name="themes"),
    path("themes/<slug:code>/", browse.theme_detail, name="theme"),
]

# Browse and compare (issue 4): appended so the search routes above stay untouched.
from .views import compare as compare_views  # noqa: E402
from .views import departments as department_views  # noqa: E402
from .views import exports as export_views  # noqa: E402

urlpatterns += [
    path("compare/", compare_views.compare_page, name="compare"),
    path("compare/export.xlsx", compare_views.compare_export, name="compare_export"),
    path("departments/", department_views.department_list, name="departments"),
    path("departments/<int:pk>/", department_views.department_detail, name="department"),
    path("measures/export.csv", export_views.measure_export_csv, name="export_csv"),
    path("measures/export.xlsx", export_views.measure_export_xlsx, name="export_xlsx"),
]
