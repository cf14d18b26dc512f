from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("practices/", views.practices, name="practices"),
    # The exports come before any practices/<id>/ path.
    path("practices/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("practices/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("practices/export.jsonl", views.export, {"fmt": "jsonl"}, name="export_jsonl"),
    path("funding/", views.funding, name="funding"),
    path("openapi.json", views.openapi, name="openapi"),
]
