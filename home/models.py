from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from practices.information import information_context
from practices.models import CooperationModel, GuidingQuestion, PracticeIndexPage

#: What editors may use in the text of an information page.
INFORMATION_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


def published_entry_counts(term_model):
    """Published entries per term; an entry is counted once, whatever its languages, and
    the illustrative samples only where they show (settings.SHOW_ILLUSTRATIVE), as in
    search."""
    shown = Q(practices__live=True)
    if not settings.SHOW_ILLUSTRATIVE:
        shown &= ~Q(practices__provenance="illustrative")
    return dict(
        term_model.objects.annotate(
            entries=Count("practices__translation_key", filter=shown, distinct=True)
        ).values_list("slug", "entries")
    )


class HomePage(Page):
    """The front page in one language: the cooperation models and guiding questions."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["practices.PracticeIndexPage", "home.InformationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        model_counts = published_entry_counts(CooperationModel)
        question_counts = published_entry_counts(GuidingQuestion)
        index = self.get_children().type(PracticeIndexPage).live().first()
        context.update(
            practice_index=index.specific if index else None,
            cooperation_models=[
                (term, model_counts.get(term.slug, 0)) for term in CooperationModel.objects.all()
            ],
            guiding_questions=[
                (term, question_counts.get(term.slug, 0)) for term in GuidingQuestion.objects.all()
            ],
        )
        return context


class InformationPage(Page):
    """About, Contact, Privacy notice, Licence and how to cite: who publishes the site and
    on what terms, in every language, linked from every page's footer.

    Editors change the text. What must stay true to the deployment or to the code is added
    by the template instead: the publisher's and the editors' addresses (settings), the
    personal data the site keeps (practices.privacy), the licences (practices.licences).
    """

    class Kind(models.TextChoices):
        ABOUT = "about", _("About")
        CONTACT = "contact", _("Contact")
        PRIVACY = "privacy", _("Privacy notice")
        LICENCE = "licence", _("Licence and how to cite")

    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        help_text=_("Decides what the page adds to the text, and its address (/about/...)."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("text"), blank=True, features=INFORMATION_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")

    def clean(self):
        super().clean()
        siblings = InformationPage.objects.filter(locale_id=self.locale_id, kind=self.kind)
        if self.pk:
            siblings = siblings.exclude(pk=self.pk)
        if self.kind and siblings.exists():
            raise ValidationError({"kind": _("This language already has a page of this kind.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(information_context(self.kind))
        return context
