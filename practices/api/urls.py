from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("practices/", views.practices, name="practices"),
    path("funding/", views.funding, name="funding"),
    path("insights/", views.insights, name="insights"),
    path("openapi.json", views.openapi, name="openapi"),
]
