"""The contribution form, in five steps. Every step is a plain Django form (and formsets)."""

import datetime

import pycountry
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.datastructures import MultiValueDict
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..funding import FundingChannel, FundingStatus, FundingType, VictimAssistanceShare
from ..models import (
    ActorType,
    CooperationModel,
    CRPDArticle,
    FundingMechanism,
    GuidingQuestion,
    PracticeFunding,
    Region,
    SustainableDevelopmentGoal,
    VictimAssistanceComponent,
)
from ..results import (
    BENEFICIARY_GROUPS,
    PARTICIPATION_EXPLANATIONS,
    EvidenceLevel,
    ParticipationLevel,
    PracticeStatus,
    RightsMarker,
)

TEXT_LIMIT = 20_000
YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


def textarea(rows=6):
    return forms.Textarea(attrs={"rows": rows})


class TermChoiceField(forms.ModelMultipleChoiceField):
    """Vocabulary terms by slug, labelled in the active language."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, model, **kwargs):
        super().__init__(queryset=model.objects.all(), to_field_name="slug", **kwargs)

    def label_from_instance(self, obj):
        return obj.get_label()


class CRPDArticleChoiceField(TermChoiceField):
    """CRPD articles in the order of the Convention, each with its number."""

    def __init__(self, **kwargs):
        super().__init__(CRPDArticle, **kwargs)
        self.queryset = CRPDArticle.objects.order_by("article")

    def label_from_instance(self, obj):
        return gettext("Art. %(number)s – %(title)s") % {
            "number": obj.article,
            "title": obj.get_label(),
        }


class CountryPicker(forms.SelectMultiple):
    """The native multiple select; countries.js turns it into a searchable list of boxes."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"size": 8, **(attrs or {})})


class AboutForm(forms.Form):
    title = forms.CharField(label=_("Title of the example"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1500,
        widget=textarea(4),
        help_text=_("Two or three sentences: what was funded, by whom, for whom."),
    )
    organisation = forms.CharField(
        label=_("Organisation that carried it out"), max_length=255, required=False
    )
    partners = forms.CharField(
        label=_("Partners"), max_length=2000, required=False, widget=textarea(3)
    )
    year = forms.IntegerField(label=_("Start year"), required=False, validators=YEAR_VALIDATORS)
    year_end = forms.IntegerField(
        label=_("End year"),
        required=False,
        validators=YEAR_VALIDATORS,
        help_text=_("Leave empty if it is still running."),
    )

    def clean(self):
        data = super().clean()
        year, year_end = data.get("year"), data.get("year_end")
        if year and year_end and year_end < year:
            self.add_error("year_end", _("The end year cannot be before the start year."))
        return data


class RadioWithHints(forms.RadioSelect):
    """Radio buttons, each with a one-line hint under its label, tied to its button."""

    def __init__(self, hints, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.hints = hints

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        hint = self.hints.get(value)
        if hint:
            hint_id = f"{option['attrs']['id']}_hint"
            described = option["attrs"].get("aria-describedby", "")
            option["attrs"]["aria-describedby"] = f"{described} {hint_id}".strip()
            option["hint"], option["hint_id"] = hint, hint_id
        return option


def choices_or_not_given(choices):
    return [("", _("Not given")), *choices]


class QuestionsForm(forms.Form):
    """One checkbox and one text area per guiding question; at least one answered.

    Two questions also ask for structured answers, which the search can filter on: the
    rights markers at question 4 (rights-based, non-discriminatory spending) and the level
    of survivors' participation at question 5 (inclusion and accountability). Both are
    optional and independent of the written answer.
    """

    #: Guiding question slug -> the names of the structured fields asked with it.
    STRUCTURED = {"q4": ("rights_markers",), "q5": ("participation",)}

    rights_markers = forms.MultipleChoiceField(
        label=_("Which of these apply to the example?"),
        required=False,
        choices=RightsMarker.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every one that applies; leave them all empty if none does."),
    )
    participation = forms.ChoiceField(
        label=_("How far did survivors and their organisations take part?"),
        required=False,
        choices=choices_or_not_given(ParticipationLevel.choices),
        widget=RadioWithHints(PARTICIPATION_EXPLANATIONS),
        help_text=_("Choose the highest level reached."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(GuidingQuestion.objects.all())
        for question in self.questions:
            self.fields[f"q_{question.slug}"] = forms.BooleanField(
                label=question.get_label(), required=False
            )
            self.fields[f"answer_{question.slug}"] = forms.CharField(
                label=_("Your answer to question %(number)s") % {"number": question.number},
                required=False,
                max_length=TEXT_LIMIT,
                widget=textarea(6),
            )
        # In the page's order: each question's structured fields after its answer.
        self.order_fields(
            [
                name
                for question in self.questions
                for name in (
                    f"q_{question.slug}",
                    f"answer_{question.slug}",
                    *self.STRUCTURED.get(question.slug, ()),
                )
            ]
        )

    def question_rows(self):
        return [
            (question, self[f"q_{question.slug}"], self[f"answer_{question.slug}"])
            for question in self.questions
        ]

    def structured_fields(self, question):
        """The structured fields asked with `question`, as bound fields."""
        return [self[name] for name in self.STRUCTURED.get(question.slug, ())]

    def question_blocks(self):
        """(question, its box, its answer, its structured fields), in the questions' order.

        A structured field whose question is missing from the vocabulary is shown after
        the questions rather than dropped.
        """
        slugs = {question.slug for question in self.questions}
        blocks = [
            (question, chosen, answer, self.structured_fields(question))
            for question, chosen, answer in self.question_rows()
        ]
        orphans = [
            self[name]
            for slug, names in self.STRUCTURED.items()
            if slug not in slugs
            for name in names
        ]
        return blocks, orphans

    def clean(self):
        data = super().clean()
        answered = []
        for question in self.questions:
            chosen = data.get(f"q_{question.slug}")
            answer = (data.get(f"answer_{question.slug}") or "").strip()
            if chosen and not answer:
                self.add_error(
                    f"answer_{question.slug}",
                    _("Answer the question you chose, or untick it."),
                )
            elif answer:
                answered.append((question.slug, answer))
        if not answered and not self.errors:
            first = self.questions[0].slug if self.questions else None
            self.add_error(
                f"q_{first}" if first else None,
                _("Choose at least one guiding question and answer it."),
            )
        data["answers"] = answered
        return data


class ClassificationForm(forms.Form):
    cooperation_models = TermChoiceField(
        CooperationModel,
        label=_("Cooperation models"),
        error_messages={"required": _("Choose at least one cooperation model.")},
    )
    va_components = TermChoiceField(
        VictimAssistanceComponent, label=_("Victim-assistance components"), required=False
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        choices=lambda: list(countries),
        widget=CountryPicker,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    regions = TermChoiceField(Region, label=_("Region"), required=False)
    actor_types = TermChoiceField(ActorType, label=_("Types of actors"), required=False)
    funding_mechanisms = TermChoiceField(
        FundingMechanism, label=_("Funding mechanisms"), required=False
    )
    sdgs = TermChoiceField(
        SustainableDevelopmentGoal, label=_("Sustainable Development Goals"), required=False
    )
    crpd_articles = CRPDArticleChoiceField(label=_("CRPD articles"), required=False)
    tags = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )

    def clean_tags(self):
        names = [name.strip() for name in self.cleaned_data["tags"].split(",")]
        names = [name[:100] for name in names if name]
        return list(dict.fromkeys(names))[:20]


def _funding_label(name):
    """The label of a funding row's field as the editors see it (the model's name)."""
    return capfirst(PracticeFunding._meta.get_field(name).verbose_name)


def _funding_help(name):
    return PracticeFunding._meta.get_field(name).help_text


NOT_NEGATIVE = {"min_value": _("An amount cannot be negative.")}


class RadioWithDefault(forms.RadioSelect):
    """Radio buttons that read as their default when none is sent (an empty row)."""

    def __init__(self, default, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.default = default

    def value_from_datadict(self, data, files, name):
        return super().value_from_datadict(data, files, name) or self.default


class ChoiceWithDefault(forms.ChoiceField):
    """A choice that always has a value: its default unless another one is chosen. Choosing
    the default does not count as filling in a row."""

    def __init__(self, *, default, **kwargs):
        self.default = default
        kwargs.setdefault("widget", RadioWithDefault(default))
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value) or self.default

    def has_changed(self, initial, data):
        return (data or self.default) != (initial or self.default)


class FundingForm(forms.Form):
    source = forms.CharField(label=_("Source of funds"), max_length=255)
    recipient = forms.CharField(label=_("Recipient"), max_length=255, required=False)
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        error_messages=NOT_NEGATIVE,
    )
    currency = forms.RegexField(
        label=_("Currency"),
        regex=r"^[A-Za-z]{3}$",
        required=False,
        # One message for a wrong code, whatever its length: no max_length validator.
        widget=forms.TextInput(attrs={"maxlength": 3, "size": 4}),
        error_messages={"invalid": _("Use a three-letter ISO 4217 code, e.g. USD.")},
        help_text=_("e.g. USD, EUR"),
    )
    year_start = forms.IntegerField(label=_("From"), required=False, validators=YEAR_VALIDATORS)
    year_end = forms.IntegerField(label=_("To"), required=False, validators=YEAR_VALIDATORS)
    mechanism = forms.ModelChoiceField(
        label=_("Mechanism"),
        queryset=FundingMechanism.objects.all(),
        to_field_name="slug",
        required=False,
    )
    funding_type = forms.ChoiceField(
        label=_("Type of funding"),
        required=False,
        choices=choices_or_not_given(FundingType.choices),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=choices_or_not_given(FundingStatus.choices),
        widget=forms.RadioSelect,
        help_text=_(
            "Pledged: promised, not yet agreed in writing. Committed: agreed in a signed "
            "agreement or budget decision. Disbursed: actually paid out."
        ),
    )
    va_share = ChoiceWithDefault(
        label=_("Share for victim assistance"),
        choices=VictimAssistanceShare.choices,
        default=VictimAssistanceShare.UNKNOWN,
        help_text=_funding_help("va_share"),
    )
    channel = forms.ChoiceField(
        label=_funding_label("channel"),
        required=False,
        choices=choices_or_not_given(FundingChannel.choices),
        widget=forms.RadioSelect,
        help_text=_(
            "Through an intermediary: the funds passed through another organisation (a United "
            "Nations agency, a pooled fund, an international NGO) before reaching the "
            "recipient."
        ),
    )
    amount_usd = forms.DecimalField(
        label=_funding_label("amount_usd"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        error_messages=NOT_NEGATIVE,
        help_text=_funding_help("amount_usd"),
    )
    url = forms.URLField(
        label=_funding_label("url"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        error_messages={
            "invalid": _("Enter a web address, e.g. https://example.org/annual-report.pdf.")
        },
        help_text=_("The report or web page that gives the amount."),
    )
    iati_identifier = forms.CharField(
        label=_funding_label("iati_identifier"),
        required=False,
        max_length=150,
        help_text=_(
            "If the activity is published in the IATI Registry, its identifier, e.g. "
            "XM-DAC-41301-12345."
        ),
    )
    note = forms.CharField(
        label=_funding_label("note"),
        required=False,
        max_length=2000,
        widget=textarea(3),
        help_text=_(
            "Anything needed to read the row right, such as the basis of the amount in US "
            "dollars (the exchange rate used, or the report that gives it)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mechanism"].label_from_instance = lambda obj: obj.get_label()

    def clean_currency(self):
        currency = self.cleaned_data["currency"].upper()
        if currency and pycountry.currencies.get(alpha_3=currency) is None:
            raise forms.ValidationError(
                self.fields["currency"].error_messages["invalid"], code="invalid"
            )
        return currency

    def clean(self):
        data = super().clean()
        year_start, year_end = data.get("year_start"), data.get("year_end")
        if year_start and year_end and year_end < year_start:
            self.add_error("year_end", _("The end year cannot be before the start year."))
        if data.get("amount_usd") is not None and not (data.get("note") or "").strip():
            self.add_error(
                "note",
                _(
                    "Give the basis of the amount in US dollars in the note: the exchange "
                    "rate used, or the report that gives it."
                ),
            )
        return data


class SourceForm(forms.Form):
    title = forms.CharField(label=_("Title of the source"), max_length=500)
    url = forms.URLField(label=_("Address (URL)"), max_length=1000, assume_scheme="https")


FundingFormSet = forms.formset_factory(FundingForm, extra=0, max_num=20, absolute_max=20)
SourceFormSet = forms.formset_factory(SourceForm, extra=0, max_num=20, absolute_max=20)
EMPTY_ROWS = 3


class CountField(forms.IntegerField):
    """A number of people: whole, not negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "min_value": _("A number of people cannot be negative."),
                "invalid": _("Enter a whole number, e.g. 1250."),
                "max_value": _("Enter a smaller number."),
            },
        )
        super().__init__(required=False, min_value=0, max_value=2_000_000_000, **kwargs)


class ResultsForm(forms.Form):
    """Step 4's results: what came of the practice, who it reached, how it is known, what
    lasted; then the funding rows, sources and files (formsets and uploads)."""

    status = forms.ChoiceField(
        label=_("Status of the practice"),
        required=False,
        choices=choices_or_not_given(PracticeStatus.choices),
        widget=forms.RadioSelect,
    )
    evidence = forms.ChoiceField(
        label=_("How are the results known?"),
        required=False,
        choices=choices_or_not_given(EvidenceLevel.choices),
        widget=forms.RadioSelect,
        help_text=_(
            "Self-reported: by those who carried it out. Monitored: followed with indicators "
            "during the work. Externally evaluated: assessed by an independent evaluator. "
            "Audited: the accounts were audited."
        ),
    )
    outcomes = forms.CharField(
        label=_("Outcomes"), required=False, max_length=TEXT_LIMIT, widget=textarea()
    )
    sustainability = forms.CharField(
        label=_("Sustainability after the funding"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=textarea(4),
        help_text=_("What continued after the first funding ended, and how it is paid for."),
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"), required=False, max_length=TEXT_LIMIT, widget=textarea()
    )
    survivor_participation = forms.CharField(
        label=_("How survivors and their organisations took part"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=textarea(),
    )
    accountability = forms.CharField(
        label=_("Accountability: how the funds were accounted for"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=textarea(),
    )
    remove_files = forms.MultipleChoiceField(
        label=_("Remove"), required=False, widget=forms.CheckboxSelectMultiple
    )

    #: The fields shown together under "Beneficiaries reached", in this order.
    BENEFICIARY_FIELDS = (
        *(f"beneficiaries_{group}" for group, _label in BENEFICIARY_GROUPS),
        "beneficiaries_year",
        "beneficiaries_note",
    )
    #: Groups whose sum may not exceed the total.
    SUMMED_GROUPS = ("women", "men", "girls", "boys")

    def __init__(self, *args, files_kept=(), **kwargs):
        super().__init__(*args, **kwargs)
        for group, label in BENEFICIARY_GROUPS:
            self.fields[f"beneficiaries_{group}"] = CountField(label=label)
        # From 1990 to the current year: figures are counted, not forecast.
        self.fields["beneficiaries_year"] = forms.IntegerField(
            label=_("Year counted"),
            required=False,
            help_text=_("The year the figures refer to."),
            error_messages={"invalid": _("Enter a year, e.g. 2023.")},
        )
        self.fields["beneficiaries_note"] = forms.CharField(
            label=_("Note on the figures"),
            required=False,
            max_length=2000,
            widget=textarea(3),
            help_text=_("Who was counted and how; the source of the figures."),
        )
        self.order_fields(["status", "evidence", *self.BENEFICIARY_FIELDS])
        self.files_kept = list(files_kept)
        self.fields["remove_files"].choices = [(str(f.pk), f.name) for f in self.files_kept]

    def beneficiary_fields(self):
        return [self[name] for name in self.BENEFICIARY_FIELDS]

    def other_fields(self):
        """The fields shown one by one, outside the beneficiaries' group."""
        grouped = {*self.BENEFICIARY_FIELDS, "remove_files"}
        return [bound for bound in self if bound.name not in grouped]

    def clean_beneficiaries_year(self):
        year = self.cleaned_data["beneficiaries_year"]
        this_year = datetime.date.today().year
        if year is not None and not 1990 <= year <= this_year:
            raise forms.ValidationError(
                _("Give a year from 1990 to %(year)s.") % {"year": this_year}, code="year"
            )
        return year

    def clean(self):
        data = super().clean()
        total = data.get("beneficiaries_total")
        if total is None:
            return data
        counts = [data.get(f"beneficiaries_{group}") for group in self.SUMMED_GROUPS]
        if sum(count or 0 for count in counts) > total:
            self.add_error(
                "beneficiaries_total",
                _("Women, men, girls and boys add up to more than the total reached."),
            )
        for group in ("persons_with_disabilities", "survivors"):
            count = data.get(f"beneficiaries_{group}")
            if count is not None and count > total:
                self.add_error(
                    f"beneficiaries_{group}", _("This number is more than the total reached.")
                )
        return data


class ContactForm(forms.Form):
    contact_name = forms.CharField(label=_("Your name"), max_length=255)
    contact_organisation = forms.CharField(
        label=_("Your organisation"), max_length=255, required=False
    )
    contact_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send the reference number and a private link to follow the review."),
    )
    consent_publication = forms.BooleanField(
        label=_(
            "I agree that the example (not my contact details) is published under the "
            "Creative Commons Attribution 4.0 licence after review."
        ),
        error_messages={"required": _("Your agreement to publication is needed.")},
    )
    consent_contact = forms.BooleanField(
        label=_(
            "I agree that the editors use my contact details to discuss this example with me; "
            "they are never published."
        ),
        error_messages={
            "required": _("Your agreement to the use of your contact details is needed.")
        },
    )


class DraftEmailForm(forms.Form):
    """Only needed when saving a draft: not marked required on the page."""

    draft_email = forms.EmailField(label=_("Email address for the private link"), required=False)

    def clean_draft_email(self):
        email = self.cleaned_data["draft_email"]
        if not email:
            raise forms.ValidationError(_("Enter your email address to receive the private link."))
        return email


def build_forms(step, data=None, submission=None):
    """The step's form and formsets, bound to `data` when given.

    The contact step starts with the address the contributor gave to save a draft: it is
    the address they read their mail at, and the one the private link went to.
    """
    kwargs = {}
    if step.number == 4:
        kwargs["files_kept"] = list(submission.files.all()) if submission else []
    if step.number == 5 and submission is not None and submission.contact_email:
        if data is None:
            kwargs["initial"] = {"contact_email": submission.contact_email}
        elif not "".join(data.getlist("contact_email")).strip():
            data = data.copy()
            data.setlist("contact_email", [submission.contact_email])
    form = step.form_class(data, auto_id="id_%s", **kwargs)
    formsets = {}
    for prefix, formset_class, _heading in step.formsets:
        formset_data = data
        if formset_data is None or f"{prefix}-TOTAL_FORMS" not in formset_data:
            formset_data = MultiValueDict(
                {f"{prefix}-TOTAL_FORMS": [str(EMPTY_ROWS)], f"{prefix}-INITIAL_FORMS": ["0"]}
            )
        formsets[prefix] = formset_class(formset_data, prefix=prefix)
    for each in [form, *(row for formset in formsets.values() for row in formset.forms)]:
        write_in_any_direction(each)
    return form, formsets


def write_in_any_direction(form):
    """Free text follows the direction of what is typed (English in the Arabic form too)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Textarea) or type(widget) is forms.TextInput:
            widget.attrs.setdefault("dir", "auto")


class Step:
    def __init__(self, number, title, form_class, formsets=()):
        self.number = number
        self.title = title
        self.form_class = form_class
        self.formsets = formsets  # (prefix, formset class, heading)


STEPS = [
    Step(1, _("About the example"), AboutForm),
    Step(2, _("Guiding questions"), QuestionsForm),
    Step(3, _("Classification"), ClassificationForm),
    Step(
        4,
        _("Funding, results and sources"),
        ResultsForm,
        formsets=(
            ("funding", FundingFormSet, _("Funding")),
            ("sources", SourceFormSet, _("Sources")),
        ),
    ),
    Step(5, _("Contact and consent"), ContactForm),
]
STEP_COUNT = len(STEPS)
