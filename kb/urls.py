from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from practices import country_pages
from practices.insights_page import insights_csv, insights_view
from practices.open_data.feeds import PracticeSearchFeed
from practices.open_data.oai import oai_pmh
from practices.open_data.robots import robots_txt
from practices.open_data.sitemaps import (
    CountryPagesSitemap,
    InsightsSitemap,
    PublicPagesSitemap,
)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("practices.api.urls")),
    path("e/", include("practices.open_data.urls")),
    path(
        "sitemap.xml",
        sitemap,
        {
            "sitemaps": {
                "pages": PublicPagesSitemap,
                "countries": CountryPagesSitemap,
                "insights": InsightsSitemap,
            }
        },
        name="sitemap",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("oai/", oai_pmh, name="oai_pmh"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("submit/", include("practices.submit.urls")),
    path("alerts/", include("practices.alerts.urls")),
    path("countries/", country_pages.country_index, name="country_index"),
    path("countries/<str:code>/", country_pages.country_page, name="country_page"),
    path("practices/feed/", PracticeSearchFeed(), name="practice_feed"),
    path("insights/", insights_view, name="insights"),
    path("insights/<slug:chart>.csv", insights_csv, name="insights_csv"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler400 = "kb.errors.bad_request"
handler403 = "kb.errors.permission_denied"
handler404 = "kb.errors.page_not_found"
handler500 = "kb.errors.server_error"
