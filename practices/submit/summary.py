""" "Check your answers": every step's stored values, validated again and put into words.

The page shows what the entry will say, so each value is read back through the step's own
form: vocabulary terms with the labels the form showed (in the page's language), countries by
name, amounts with the language's digit grouping. A step never filled in, or one that no
longer validates, is shown as such with its errors, and the entry cannot be sent until it is
corrected.
"""

from dataclasses import dataclass, field

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .forms import STEPS, build_forms


@dataclass
class Answer:
    """One line of the summary: a label and a text, a list of items or a list of rows."""

    label: str
    text: str = ""
    items: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # each row: [(label, text), ...]
    error: str = ""


@dataclass
class Part:
    """One step of the form as the check page shows it."""

    step: object
    answers: list
    forms: tuple  # (form, formsets), for sending
    started: bool
    valid: bool

    @property
    def anchor(self):
        return f"part-{self.step.number}"


def stored(submission, number):
    raw = submission.form_data.get(str(number))
    return MultiValueDict(raw) if raw is not None else None


def amount(value):
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, force_grouping=True)


def display(bound_field, value):
    """A cleaned value as text, or as a list of texts, the way the form offered it."""
    form_field = bound_field.field
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return [form_field.label_from_instance(term) for term in value or ()]
    if isinstance(form_field, forms.ModelChoiceField):
        return form_field.label_from_instance(value) if value is not None else ""
    if isinstance(form_field, forms.MultipleChoiceField):
        names = dict(form_field.choices)
        return [str(names.get(code, code)) for code in value or ()]
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value)) if value else ""
    if isinstance(form_field, forms.BooleanField):
        return _("Agreed") if value else _("Not agreed")
    if isinstance(form_field, forms.DecimalField):
        return amount(value) if value is not None else ""
    if isinstance(value, list):
        return [str(item) for item in value]
    return "" if value is None else str(value).strip()


def answer(bound_field, form):
    label = str(bound_field.label).rstrip(" .:")
    if bound_field.name in form.errors:
        return Answer(label, error=" ".join(form.errors[bound_field.name]))
    value = display(bound_field, form.cleaned_data.get(bound_field.name))
    if isinstance(value, list):
        return Answer(label, items=value)
    return Answer(label, text=value)


def question_answers(form):
    answers = []
    for question, _chosen, text in form.question_rows():
        label = f"{question.number}. {question.get_label()}"
        if text.name in form.errors:
            answers.append(Answer(label, error=" ".join(form.errors[text.name])))
        elif (form.cleaned_data.get(text.name) or "").strip():
            answers.append(Answer(label, text=form.cleaned_data[text.name].strip()))
    return answers


def consent_label(name):
    return {
        "consent_publication": _("Publication under the CC BY 4.0 licence after review"),
        "consent_contact": _("Use of your contact details by the editors"),
    }[name]


def formset_rows(formset):
    """The filled rows of a formset, each as (label, text) pairs of its filled fields."""
    rows = []
    for row in formset.forms:
        if not row.has_changed():
            continue
        pairs = []
        for bound in row:
            if bound.name in row.errors:
                pairs.append((bound.label, " ".join(row.errors[bound.name])))
                continue
            value = display(bound, row.cleaned_data.get(bound.name))
            if value:
                pairs.append((bound.label, value))
        rows.append(pairs)
    return rows


def step_answers(step, form, formsets):
    if step.number == 2:
        return question_answers(form)
    answers = []
    for bound in form:
        if bound.name == "remove_files":
            continue
        item = answer(bound, form)
        if bound.name.startswith("consent_"):
            item.label = consent_label(bound.name)
        answers.append(item)
    for prefix, _formset_class, heading in step.formsets:
        answers.append(Answer(str(heading), rows=formset_rows(formsets[prefix])))
    if step.number == 4:
        answers.append(
            Answer(
                _("Attachments"),
                items=[f"{kept.name} ({filesizeformat(kept.size)})" for kept in form.files_kept],
            )
        )
    return answers


def summarise(submission):
    """The parts of the check page, in the order of the steps."""
    parts = []
    for step in STEPS:
        data = stored(submission, step.number)
        form, formsets = build_forms(step, data, submission)
        if data is None:
            parts.append(Part(step, [], (form, formsets), started=False, valid=False))
            continue
        valid = all([form.is_valid()] + [formset.is_valid() for formset in formsets.values()])
        answers = step_answers(step, form, formsets)
        parts.append(Part(step, answers, (form, formsets), started=True, valid=valid))
    return parts
