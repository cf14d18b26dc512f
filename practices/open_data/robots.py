"""`/robots.txt`: the sitemap's address, and the paths crawlers have no business in: the
admin, the contributors' private links and pages (`/<lang>/submit/...`, the form itself
excepted), the pages of followed searches (`/<lang>/alerts/...`: a form, and private links)
and Wagtail's password form for private pages."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/"]
    for code, _name in settings.LANGUAGES:
        lines += [
            f"Allow: /{code}/submit/$",
            f"Disallow: /{code}/submit/",
            f"Disallow: /{code}/_util/",
            f"Disallow: /{code}/alerts/",
        ]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
