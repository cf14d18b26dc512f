"""StreamField blocks of practice entries; each block renders with its own template."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


_cached_choices = ContextVar("guiding_question_choices", default=None)


def guiding_question_choices():
    """Choices read from the vocabulary so that editors' new questions appear too."""
    from .models.taxonomy import GuidingQuestion

    cached = _cached_choices.get()
    if cached is not None:
        return cached
    try:
        return [(q.slug, f"{q.number}. {q.short_label}") for q in GuidingQuestion.objects.all()]
    except DatabaseError:  # before migrations have run
        return [(f"q{n}", f"q{n}") for n in range(1, 7)]


@contextmanager
def cached_guiding_question_choices():
    """Read the guiding questions once for a block of work (e.g. an import) instead of at
    every validation of every answer block."""
    token = _cached_choices.set(None)
    _cached_choices.set(guiding_question_choices())
    try:
        yield
    finally:
        _cached_choices.reset(token)


@contextmanager
def guiding_question_choices_from(questions):
    """The same, from guiding questions the caller has already read."""
    token = _cached_choices.set([(q.slug, f"{q.number}. {q.short_label}") for q in questions])
    try:
        yield
    finally:
        _cached_choices.reset(token)


class GuidingQuestionAnswerBlock(blocks.StructBlock):
    question = blocks.ChoiceBlock(choices=guiding_question_choices, label=_("Guiding question"))
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Answer"))

    class Meta:
        icon = "help"
        label = _("Answer to a guiding question")
        template = "blocks/guiding_question_answer.html"


class AnswersStreamBlock(blocks.StreamBlock):
    answer = GuidingQuestionAnswerBlock()

    def clean(self, value):
        value = super().clean(value)
        seen = set()
        for child in value:
            question = child.value["question"]
            if question in seen:
                raise blocks.StreamBlockValidationError(
                    non_block_errors=[_("Each guiding question can be answered only once.")]
                )
            seen.add(question)
        return value


class BodyStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", label=_("Heading"), template="blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label=_("Paragraph"), template="blocks/paragraph.html"
    )
    quote = blocks.BlockQuoteBlock(label=_("Quote"), template="blocks/quote.html")
