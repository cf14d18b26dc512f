from django.urls import path

from . import views

app_name = "submit"

urlpatterns = [
    path("", views.start, name="start"),
    path("link/<str:token>/", views.resume, name="resume"),
    path("<str:reference>/", views.status, name="status"),
    path("<str:reference>/step/<int:number>/", views.step_view, name="step"),
    path("<str:reference>/check/", views.check, name="check"),
    path("<str:reference>/draft-saved/", views.draft_saved, name="draft_saved"),
]
