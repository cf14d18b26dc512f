from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("practices/", views.practices, name="practices"),
    # An id ends with a slash: practices/export.csv and the like never reach this route, and
    # any other id (not a UUID, not an entry's) gets the JSON 404 of the view.
    re_path(r"^practices/(?P<entry_id>[^/]+)/$", views.practice, name="practice"),
    path("funding/", views.funding, name="funding"),
    path("insights/", views.insights, name="insights"),
    path("openapi.json", views.openapi, name="openapi"),
]
