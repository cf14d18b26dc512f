from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("practices/", views.practices, name="practices"),
    # The exports come before any practices/<id>/ path.
    path("practices/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("practices/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("practices/export.jsonl", views.export, {"fmt": "jsonl"}, name="export_jsonl"),
    # An id ends with a slash: practices/export.csv and the like never reach this route, and
    # any other id (not a UUID, not an entry's) gets the JSON 404 of the view.
    re_path(r"^practices/(?P<entry_id>[^/]+)/$", views.practice, name="practice"),
    path("funding/", views.funding, name="funding"),
    path("insights/", views.insights, name="insights"),
    path("openapi.json", views.openapi, name="openapi"),
]
