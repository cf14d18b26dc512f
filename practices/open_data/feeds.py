"""The Atom 1.0 feed of any search: `/<lang>/practices/feed/?<the API's parameters>`.

The feed is the search's answer (search_practices, each entry once in the reader's
language), the newest 50 entries by first publication, written by Django's syndication
framework so that the XML is Atom as feed readers expect it.
"""

from dataclasses import replace
from http import HTTPStatus

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from ..information import publisher
from ..models import PracticePage
from ..search.models import SearchDocument
from ..search.query import ORDER_PARAMS
from ..search.service import parse_search_params, search_practices
from .stable_links import stable_link

#: The feed is always the newest FEED_SIZE entries of its search, whatever its address's
#: order and page parameters (ORDER_PARAMS, left out).
FEED_SIZE = 50


class PracticeSearchFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        params = request.GET.copy()
        for name in ORDER_PARAMS:
            params.pop(name, None)
        lang = translation.get_language()
        query, errors = parse_search_params(params, lang=lang)
        if errors:
            lines = [_("The feed's address has parameters that are not understood:")]
            lines += [f"{name}: {message}" for name, message in errors.items()]
            return HttpResponse(
                "\n".join(lines) + "\n",
                content_type="text/plain; charset=utf-8",
                status=HTTPStatus.BAD_REQUEST,
            )
        self.request = request
        return super().__call__(request, *args, query=query, **kwargs)

    def get_object(self, request, query):
        query = replace(query, sort="newest", page=1, page_size=FEED_SIZE)
        results = search_practices(query).results
        _add_dates(results)
        return {"query": query, "results": results}

    def title(self, obj):
        q = obj["query"].q.strip()
        if q:
            return _("Alianzas: practices matching “%(q)s”") % {"q": q}
        return _("Alianzas: good practices")

    def subtitle(self, obj):
        return _(
            "The newest practices of this search, by first publication, in the reader's language."
        )

    def link(self, obj):
        search = self.request.GET.copy()
        for name in ORDER_PARAMS:
            search.pop(name, None)
        path = self.request.path.removesuffix("feed/")
        return f"{path}?{search.urlencode()}" if search else path

    def feed_url(self, obj):
        return self.request.get_full_path()

    def feed_guid(self, obj):
        return self.request.build_absolute_uri()

    def author_name(self, obj):
        return publisher()["name"]

    def items(self, obj):
        return obj["results"]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom1Feed marks the summary as HTML: the plain text summary, escaped.
        return escape(item.summary)

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return self.request.build_absolute_uri(stable_link(item.id))

    def item_guid_is_permalink(self, item):
        return True

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        return [label for _value, label in item.labels.get("cooperation_model", [])]

    def item_author_name(self, item):
        return item.organisation or None


def _add_dates(results):
    """Give each result the entry's first publication (that of its earliest version, as the
    order of the search) and the last publication of the version shown."""
    keys = {result.id for result in results}
    documents = SearchDocument.objects.filter(entry_key__in=keys).values_list(
        "entry_key", "language", "page_id", "published_at"
    )
    found = {}
    for key, language, page_id, published in documents:
        found[(str(key), language)] = (page_id, published)
    page_ids = [page_id for page_id, _published in found.values()]
    last_published = dict(
        PracticePage.objects.filter(pk__in=page_ids).values_list("pk", "last_published_at")
    )
    for result in results:
        page_id, published = found.get((result.id, result.lang), (None, None))
        result.first_published_at = published
        result.last_published_at = last_published.get(page_id)
