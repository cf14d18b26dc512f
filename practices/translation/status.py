"""Where each entry stands in each language: exists, progress, out of date, requests."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Min
from django.urls import reverse
from wagtail_localize.models import Translation, TranslationSource

from practices.facets import LANGUAGE_LABELS


@dataclass
class LanguageState:
    code: str
    name: str
    page: object = None
    is_original: bool = False
    translation: object = None
    total_segments: int = 0
    translated_segments: int = 0
    out_of_date: bool = False
    requests: int = 0
    can_edit: bool = True  # whether the person looking may open it (see mark_editable)

    @property
    def exists(self):
        return self.page is not None

    @property
    def percent(self):
        """Share of segments translated (wagtail-localize's Translation.get_progress())."""
        if self.translation is None:
            return None
        if not self.total_segments:
            return 100
        return int(100 * self.translated_segments / self.total_segments)

    @property
    def edit_url(self):
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk]) if self.page else None


@dataclass
class EntryState:
    original: object
    source: object = None
    original_changed: bool = False
    languages: list = field(default_factory=list)

    @property
    def original_editable(self):
        return any(language.is_original and language.can_edit for language in self.languages)

    @property
    def sync_url(self):
        """wagtail-localize's update view: re-extract the original, then update translations."""
        if self.source is None or not self.source.translations.filter(enabled=True).exists():
            return None
        return reverse("wagtail_localize:update_translations", args=[self.source.pk])

    @property
    def translate_url(self):
        if all(language.exists for language in self.languages):
            return None
        return reverse("wagtail_localize:submit_page_translation", args=[self.original.pk])


def mark_editable(states, user):
    """Note which versions `user` may open, so that the overview links only those.

    A translator of French sees the English original listed, but opening it would only
    tell them they have no permission.
    """
    for state in states:
        for language in state.languages:
            if language.page is not None:
                language.can_edit = language.page.permissions_for_user(user).can_edit()
    return states


def original_entries():
    """Every entry once, as its original version (the first version created)."""
    from practices.models import PracticePage

    first_pks = PracticePage.objects.values("translation_key").annotate(first=Min("pk"))
    return PracticePage.objects.filter(pk__in=first_pks.values("first"))


def last_changed(page):
    """When the content wagtail-localize would extract from the page last changed."""
    if page.live:
        return page.last_published_at
    return page.latest_revision_created_at


def entry_states(originals):
    """The state of each original entry in every language (a handful of queries per entry)."""
    from practices.models import PracticePage, TranslationRequest

    originals = list(originals)
    keys = [page.translation_key for page in originals]
    versions = {}
    for page in PracticePage.objects.filter(translation_key__in=keys).select_related("locale"):
        versions.setdefault(page.translation_key, {})[page.locale.language_code] = page
    sources = {
        (source.object_id, source.locale_id): source
        for source in TranslationSource.objects.filter(object_id__in=keys)
    }
    requests = {
        (item.translation_key, item.language): item.count
        for item in TranslationRequest.objects.filter(translation_key__in=keys)
    }
    states = []
    for original in originals:
        source = sources.get((original.translation_key, original.locale_id))
        translations = {}
        if source is not None:
            translations = {
                item.target_locale.language_code: item
                for item in Translation.objects.filter(source=source, enabled=True).select_related(
                    "target_locale"
                )
            }
        changed = last_changed(original)
        state = EntryState(
            original=original,
            source=source,
            original_changed=bool(
                source is not None and changed and changed > source.last_updated_at
            ),
        )
        for code, _name in settings.LANGUAGES:
            page = versions.get(original.translation_key, {}).get(code)
            language = LanguageState(
                code=code,
                name=str(LANGUAGE_LABELS.get(code, code)),
                page=page,
                is_original=page is not None and page.pk == original.pk,
                translation=translations.get(code),
                requests=requests.get((original.translation_key, code), 0),
            )
            if language.translation is not None:
                total, done = language.translation.get_progress()
                language.total_segments, language.translated_segments = total, done
                published = page.last_published_at if page is not None else None
                language.out_of_date = state.original_changed or (
                    published is None or published < source.last_updated_at
                )
            state.languages.append(language)
        states.append(state)
    return states
