"""The routes outside the language prefixes: `/e/<id>/` and the downloads of its reference
(kb/urls.py includes them)."""

from django.urls import path

from .citation_files import download
from .stable_links import redirect_to_entry

urlpatterns = [
    path("<str:entry_id>/", redirect_to_entry, name="stable_link"),
    *(
        path(
            f"<uuid:entry_id>/cite.{extension}",
            download,
            {"extension": extension},
            name=f"citation_{extension}",
        )
        for extension in ("bib", "ris", "json")
    ),
]
