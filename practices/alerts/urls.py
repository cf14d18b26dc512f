from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("follow/", views.follow, name="follow"),
    path("check-your-mail/", views.check_mail, name="check_mail"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("deleted/", views.deleted, name="deleted"),
]
