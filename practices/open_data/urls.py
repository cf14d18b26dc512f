"""The routes outside the language prefixes: `/e/<id>/` (kb/urls.py includes them)."""

from django.urls import path

from .stable_links import redirect_to_entry

urlpatterns = [
    path("<str:entry_id>/", redirect_to_entry, name="stable_link"),
]
