"""`/oai/`: OAI-PMH 2.0, for harvesters (library catalogues, knowledge platforms).

One record per entry (its translation key, the API's `id`), carrying every published
language version: title and description once per version with `xml:lang`. Only the
`oai_dc` format. The record's identifier is `oai:<host>:<id>` (host as the harvester asked
for it, without the port); its `dc:identifier` the stable link `/e/<id>/` on that host.

- Records: the entries search shows (searchable_versions: live, public, illustrative ones
  only with settings.SHOW_ILLUSTRATIVE). Datestamp: the latest publication of a version,
  in UTC, to the second.
- Deleted records (`transient`): an entry once published that has no public version now
  (unpublished or made private) is reported with `status="deleted"` and its header only,
  dated by its latest unpublication (Wagtail's page log). Entries whose pages were deleted
  are no longer known.
- Sets: `cooperation_model:<slug>`, one per cooperation model, named in English.
- Lists come in pages of settings.OAI_PAGE_SIZE, ordered by identifier; the resumption
  token is stateless: the request's arguments and the last identifier given, signed.

The XML is written here with lxml: the libraries at hand either keep their own copy of the
records in tables of their own (django-oai-pmh) or write oai_dc without `xml:lang` nor
`completeListSize` (oaipmh/pyoai).
"""

import datetime
import uuid

from django.conf import settings
from django.core import signing
from django.db.models import Max, Min
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree
from wagtail.models import PageLogEntry

from kb.languages import LANGUAGE_CODES

from ..facets import country_name
from ..information import publisher
from ..licences import licence_info
from ..models import CooperationModel, PracticePage
from ..search.documents import entry_facts, searchable_versions
from .stable_links import stable_link

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

SET_PREFIX = "cooperation_model:"
TOKEN_SALT = "practices.open_data.oai"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"

#: verb -> (required arguments, optional arguments); `resumptionToken` is exclusive.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
LIST_VERBS = {"ListIdentifiers", "ListRecords", "ListSets"}


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def page_size():
    return getattr(settings, "OAI_PAGE_SIZE", 100)


def datestamp(value):
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _host(request):
    """The host the harvester asked, without the port (a namespace identifier has none)."""
    domain, _port = split_domain_port(request.get_host())
    return domain


def oai_identifier(request, key):
    return f"oai:{_host(request)}:{key}"


# -- the records --------------------------------------------------------------------------


def _seconds(value):
    return value.astimezone(datetime.UTC).replace(microsecond=0)


def headers(set_slug=None, keys=None):
    """Identifier (translation key string) -> (datestamp, deleted), for every record (of
    the set, or among these translation keys)."""
    live = searchable_versions(keys)
    if set_slug:
        live = live.filter(cooperation_models__slug=set_slug)
    found = {}
    rows = live.order_by().values("translation_key").annotate(last=Max("last_published_at"))
    for row in rows:
        stamp = row["last"]
        if stamp:
            found[str(row["translation_key"])] = (_seconds(stamp), False)
    gone = PracticePage.objects.filter(first_published_at__isnull=False).exclude(
        translation_key__in=searchable_versions().values("translation_key")
    )
    if not settings.SHOW_ILLUSTRATIVE:
        gone = gone.exclude(provenance=PracticePage.Provenance.ILLUSTRATIVE)
    if set_slug:
        gone = gone.filter(cooperation_models__slug=set_slug)
    if keys is not None:
        gone = gone.filter(translation_key__in=keys)
    pages = {}
    for pk, key, published in gone.values_list("pk", "translation_key", "last_published_at"):
        pages[pk] = (str(key), published)
    unpublished = (
        PageLogEntry.objects.filter(page_id__in=list(pages), action="wagtail.unpublish")
        .order_by()
        .values("page_id")
        .annotate(last=Max("timestamp"))
    )
    stamps = {row["page_id"]: row["last"] for row in unpublished}
    for pk, (key, published) in pages.items():
        stamp = max(filter(None, [stamps.get(pk), published]))
        previous = found.get(key)
        if previous is None or previous[0] < _seconds(stamp):
            found[key] = (_seconds(stamp), True)
    return found


def _versions(keys):
    """Translation key -> its public versions, in the order of the site's languages."""
    order = {code: position for position, code in enumerate(LANGUAGE_CODES)}
    versions = (
        searchable_versions(keys)
        .select_related("locale")
        .prefetch_related("cooperation_models", "guiding_questions", "regions")
    )
    found = {}
    for version in versions:
        found.setdefault(str(version.translation_key), []).append(version)
    for group in found.values():
        group.sort(key=lambda page: (order.get(page.locale.language_code, 99), page.pk))
    return found


def _dc(parent, name, text, language=None):
    element = etree.SubElement(parent, f"{{{DC_NS}}}{name}")
    element.text = str(text)
    if language:
        element.set(XML_LANG, language)
    return element


def oai_dc(parent, request, key, versions, first_published):
    """The entry's Dublin Core: every public version's title and summary with xml:lang."""
    root = etree.SubElement(
        parent, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    languages = [version.locale.language_code for version in versions]
    for version, language in zip(versions, languages, strict=True):
        _dc(root, "title", version.title, language)
    organisations = []
    for version in versions:
        if version.organisation and version.organisation not in organisations:
            organisations.append(version.organisation)
    for organisation in organisations:
        _dc(root, "creator", organisation)
    classified = versions[0]
    for language in languages:
        for term in classified.cooperation_models.all():
            _dc(root, "subject", term.get_label(language), language)
        for term in classified.guiding_questions.all():
            _dc(root, "subject", term.get_label(language), language)
    for version, language in zip(versions, languages, strict=True):
        if version.summary:
            _dc(root, "description", version.summary, language)
    _dc(root, "publisher", publisher()["name"])
    if first_published:
        _dc(root, "date", first_published.astimezone(datetime.UTC).date().isoformat())
    _dc(root, "type", "Text")
    _dc(root, "identifier", request.build_absolute_uri(stable_link(key)))
    for language in languages:
        _dc(root, "language", language)
    for language in languages:
        with translation.override(language):
            for country in classified.countries:
                _dc(root, "coverage", country_name(country.code), language)
        for region in classified.regions.all():
            _dc(root, "coverage", region.get_label(language), language)
    info = licence_info(classified.licence)
    _dc(root, "rights", info.deed)
    _dc(root, "rights", info.name)
    return root


# -- the response ---------------------------------------------------------------------------


def _envelope(request, arguments, verb_ok):
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = datestamp(timezone.now())
    echo = etree.SubElement(root, f"{{{OAI_NS}}}request")
    echo.text = request.build_absolute_uri(request.path)
    if verb_ok:
        # The protocol echoes the arguments only when they make a valid request.
        for name, value in arguments.items():
            echo.set(name, value)
    return root


def _response(root):
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _sub(parent, name, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{OAI_NS}}}{name}", attributes)
    if text is not None:
        element.text = str(text)
    return element


@csrf_exempt
@require_http_methods(["GET", "POST"])
def oai_pmh(request):
    data = request.POST if request.method == "POST" else request.GET
    arguments = {}
    repeated = set()
    for name, values in data.lists():
        if len(values) > 1:
            repeated.add(name)
        arguments[name] = values[0]
    try:
        verb = _check(arguments, repeated)
        root = _envelope(request, arguments, True)
        HANDLERS[verb](request, root, dict(arguments))
    except OAIError as error:
        root = _envelope(request, arguments, error.code not in ("badVerb", "badArgument"))
        _sub(root, "error", error.message, code=error.code)
    return _response(root)


def _check(arguments, repeated):
    verb = arguments.get("verb")
    if verb not in VERBS or "verb" in repeated:
        raise OAIError("badVerb", "The verb is missing, repeated or not one of the protocol's.")
    if repeated:
        raise OAIError("badArgument", "An argument is repeated.")
    given = set(arguments) - {"verb"}
    if "resumptionToken" in given:
        if verb not in LIST_VERBS:
            raise OAIError("badArgument", "This verb takes no resumptionToken.")
        if given != {"resumptionToken"}:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        return verb
    required, optional = VERBS[verb]
    if required - given:
        raise OAIError(
            "badArgument", f"Missing argument(s): {', '.join(sorted(required - given))}."
        )
    if given - required - optional:
        unknown = ", ".join(sorted(given - required - optional))
        raise OAIError("badArgument", f"Unknown argument(s): {unknown}.")
    return verb


def _earliest():
    """No datestamp is earlier: the first publication or last publication of any version."""
    dates = PracticePage.objects.aggregate(
        first=Min("first_published_at"), last=Min("last_published_at")
    )
    stamps = [stamp for stamp in dates.values() if stamp]
    return datestamp(min(stamps) if stamps else timezone.now())


def identify(request, root, arguments):
    node = _sub(root, "Identify")
    _sub(node, "repositoryName", publisher()["name"])
    _sub(node, "baseURL", request.build_absolute_uri(request.path))
    _sub(node, "protocolVersion", "2.0")
    _sub(node, "adminEmail", settings.EDITORS_EMAIL)
    _sub(node, "earliestDatestamp", _earliest())
    _sub(node, "deletedRecord", "transient")
    _sub(node, "granularity", GRANULARITY)


def _known_key(identifier, request):
    prefix = f"oai:{_host(request)}:"
    if not identifier.startswith(prefix):
        return None
    try:
        key = str(uuid.UUID(identifier.removeprefix(prefix)))
    except ValueError:
        return None
    return key


def list_metadata_formats(request, root, arguments):
    identifier = arguments.get("identifier")
    if identifier is not None:
        key = _known_key(identifier, request)
        if key is None or key not in headers(keys=[key]):
            raise OAIError("idDoesNotExist", "No such record in this repository.")
    node = _sub(root, "ListMetadataFormats")
    fmt = _sub(node, "metadataFormat")
    _sub(fmt, "metadataPrefix", "oai_dc")
    _sub(fmt, "schema", OAI_DC_SCHEMA)
    _sub(fmt, "metadataNamespace", OAI_DC_NS)


def list_sets(request, root, arguments):
    if "resumptionToken" in arguments:
        raise OAIError("badResumptionToken", "The sets come in one list: no token is valid.")
    node = _sub(root, "ListSets")
    for model in CooperationModel.objects.all():
        item = _sub(node, "set")
        _sub(item, "setSpec", f"{SET_PREFIX}{model.slug}")
        _sub(item, "setName", model.get_label("en"))


def _check_prefix(prefix):
    if prefix != "oai_dc":
        raise OAIError("cannotDisseminateFormat", "The only metadata format is oai_dc.")


def _header(parent, request, key, stamp, deleted, sets):
    attributes = {"status": "deleted"} if deleted else {}
    header = _sub(parent, "header", **attributes)
    _sub(header, "identifier", oai_identifier(request, key))
    _sub(header, "datestamp", datestamp(stamp))
    for slug in sets:
        _sub(header, "setSpec", f"{SET_PREFIX}{slug}")
    return header


def _sets_of(keys):
    found = {}
    pairs = PracticePage.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "cooperation_models__slug"
    )
    for key, slug in pairs:
        if slug:
            slugs = found.setdefault(str(key), [])
            if slug not in slugs:
                slugs.append(slug)
    return {key: sorted(slugs) for key, slugs in found.items()}


def _records(parent, request, items, with_metadata):
    keys = [key for key, _stamp, _deleted in items]
    sets = _sets_of(keys)
    versions = _versions(keys) if with_metadata else {}
    facts = entry_facts(keys) if with_metadata else {}
    for key, stamp, deleted in items:
        # Unpublished since the headers were read: deleted, with the header only.
        deleted = deleted or (with_metadata and key not in versions)
        if not with_metadata:
            _header(parent, request, key, stamp, deleted, sets.get(key, []))
            continue
        record = _sub(parent, "record")
        _header(record, request, key, stamp, deleted, sets.get(key, []))
        if not deleted:
            metadata = _sub(record, "metadata")
            fact = facts.get(uuid.UUID(key))
            first = fact.first_published_at if fact else None
            oai_dc(metadata, request, key, versions[key], first)


def get_record(request, root, arguments):
    key = _known_key(arguments["identifier"], request)
    found = headers(keys=[key]) if key else {}
    if key not in found:
        raise OAIError("idDoesNotExist", "No such record in this repository.")
    _check_prefix(arguments["metadataPrefix"])
    node = _sub(root, "GetRecord")
    stamp, deleted = found[key]
    _records(node, request, [(key, stamp, deleted)], with_metadata=True)


def _parse_date(value, until=False):
    for pattern, day in (("%Y-%m-%d", True), ("%Y-%m-%dT%H:%M:%SZ", False)):
        try:
            parsed = datetime.datetime.strptime(value, pattern).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue
        if day and until:
            parsed += datetime.timedelta(days=1, seconds=-1)
        return parsed, day
    raise OAIError("badArgument", f"Not a date of the repository's granularity: {value}.")


def _list(verb, request, root, arguments):
    token = arguments.get("resumptionToken")
    after, cursor = None, 0
    if token is not None:
        try:
            state = signing.loads(token, salt=TOKEN_SALT)
            arguments = state["arguments"]
            after, cursor = state["after"], state["cursor"]
        except (signing.BadSignature, KeyError, TypeError):
            raise OAIError("badResumptionToken", "The resumption token is not valid.") from None
    _check_prefix(arguments["metadataPrefix"])
    start = end = None
    if "from" in arguments:
        start, start_day = _parse_date(arguments["from"])
    if "until" in arguments:
        end, end_day = _parse_date(arguments["until"], until=True)
    if start and end:
        if start_day != end_day:
            raise OAIError("badArgument", "from and until differ in granularity.")
        if start > end:
            raise OAIError("badArgument", "from is later than until.")
    set_slug = None
    if "set" in arguments:
        spec = arguments["set"]
        set_slug = spec.removeprefix(SET_PREFIX)
        if not spec.startswith(SET_PREFIX) or not (
            CooperationModel.objects.filter(slug=set_slug).exists()
        ):
            raise OAIError("noRecordsMatch", "No such set in this repository.")
    found = headers(set_slug)
    items = sorted(
        (key, stamp, deleted)
        for key, (stamp, deleted) in found.items()
        if (start is None or stamp >= start) and (end is None or stamp <= end)
    )
    if not items:
        raise OAIError("noRecordsMatch", "No record matches the request.")
    rest = [item for item in items if after is None or item[0] > after]
    size = page_size()
    chunk = rest[:size]
    node = _sub(root, verb)
    _records(node, request, chunk, with_metadata=verb == "ListRecords")
    if token is not None or len(rest) > size:
        attributes = {"completeListSize": str(len(items)), "cursor": str(cursor)}
        resumption = _sub(node, "resumptionToken", **attributes)
        if len(rest) > size:
            resumption.text = signing.dumps(
                {"arguments": arguments, "after": chunk[-1][0], "cursor": cursor + size},
                salt=TOKEN_SALT,
                compress=True,
            )


def list_identifiers(request, root, arguments):
    _list("ListIdentifiers", request, root, arguments)


def list_records(request, root, arguments):
    _list("ListRecords", request, root, arguments)


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
