"""Context for the public pages. Reads published entries only; never contributor data."""

from django.core.paginator import Paginator
from django.db.models import Count, Q

from .models import CooperationModel, GuidingQuestion, PracticePage


def published_entry_counts(term_model):
    """Published entries per term; an entry is counted once, whatever its languages."""
    return dict(
        term_model.objects.annotate(
            entries=Count(
                "practices__translation_key",
                filter=Q(practices__live=True),
                distinct=True,
            )
        ).values_list("slug", "entries")
    )


def home_context(page, request):
    model_counts = published_entry_counts(CooperationModel)
    question_counts = published_entry_counts(GuidingQuestion)
    index = page.get_children().type(_index_page_type()).live().first()
    return {
        "practice_index": index.specific if index else None,
        "cooperation_models": [
            (term, model_counts.get(term.slug, 0)) for term in CooperationModel.objects.all()
        ],
        "guiding_questions": [
            (term, question_counts.get(term.slug, 0)) for term in GuidingQuestion.objects.all()
        ],
    }


def _index_page_type():
    from .models import PracticeIndexPage

    return PracticeIndexPage


def entries_for_locale(locale):
    """Each published entry once: its version in `locale` where published, else its original."""
    live = PracticePage.objects.live()
    local_keys = live.filter(locale=locale).values("translation_key")
    in_locale = Q(locale=locale)
    originals_elsewhere = ~Q(translation_key__in=local_keys) & Q(pk__in=_original_pks(live))
    return live.filter(in_locale | originals_elsewhere)


def _original_pks(queryset):
    from django.db.models import Min

    return PracticePage.objects.values("translation_key").annotate(first=Min("pk")).values("first")


def practice_index_context(page, request):
    entries = (
        entries_for_locale(page.locale)
        .select_related("locale")
        .prefetch_related("cooperation_models")
        .order_by("-first_published_at", "-pk")
    )
    paginator = Paginator(entries, 20)
    return {"page_obj": paginator.get_page(request.GET.get("page"))}
