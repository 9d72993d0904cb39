from django.urls import path

from .views import browse, search

app_name = "measures"
urlpatterns = [
    path("", browse.home, name="home"),
    path("measures/", search.measure_list_page, name="list"),
    path("measures/<int:pk>/", browse.measure_detail, name="detail"),
    path("themes/", browse.theme_list, name="themes"),
    path("themes/<slug:code>/", browse.theme_detail, name="theme"),
]
