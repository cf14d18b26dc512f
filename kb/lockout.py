"""The page shown when django-axes has paused sign-in for a user name and client address."""

from http import HTTPStatus

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """Wagtail's sign-in look, with a translated explanation and the pause in minutes."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cooloff.total_seconds() / 60)) if cooloff else 0
    return render(
        request,
        "wagtailadmin/login_locked.html",
        {"cooloff_minutes": minutes},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
