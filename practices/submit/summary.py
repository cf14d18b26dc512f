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
from django.utils.translation import gettext_lazy

from .forms import STEPS, CountField, build_forms


@dataclass
class Answer:
    """One line of the summary: a label and a text, a list of items or a list of rows."""

    label: str
    text: str = ""
    items: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # each row: [(label, text), ...]
    pairs: list = field(default_factory=list)  # [(label, text), ...] of one group
    error: str = ""
    anchor: str = ""  # the id of the field on its step, for its "Change" link


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
    if isinstance(form_field, CountField):
        return number_format(value, force_grouping=True) if value is not None else ""
    if isinstance(value, list):
        return [str(item) for item in value]
    return "" if value is None else str(value).strip()


def answer(bound_field, form):
    label = str(bound_field.label).rstrip(" .:?؟")
    anchor = bound_field.auto_id
    if bound_field.name in form.errors:
        return Answer(label, error=" ".join(form.errors[bound_field.name]), anchor=anchor)
    value = display(bound_field, form.cleaned_data.get(bound_field.name))
    if isinstance(value, list):
        return Answer(label, items=value, anchor=anchor)
    return Answer(label, text=value, anchor=anchor)


#: How the check page names the structured answers of the guiding questions.
STRUCTURED_LABELS = {
    "rights_markers": gettext_lazy("Rights markers"),
    "participation": gettext_lazy("Participation of survivors and their organisations"),
}


def structured_answer(bound_field, form):
    item = answer(bound_field, form)
    item.label = str(STRUCTURED_LABELS.get(bound_field.name, item.label))
    return item


def question_answers(form):
    """Each answered question, then the structured answers asked with it (shown also when
    not given, so that the contributor sees they were asked)."""
    answers = []
    blocks, orphans = form.question_blocks()
    for question, _chosen, text, structured in blocks:
        label = f"{question.number}. {question.get_label()}"
        if text.name in form.errors:
            answers.append(
                Answer(label, error=" ".join(form.errors[text.name]), anchor=text.auto_id)
            )
        elif (form.cleaned_data.get(text.name) or "").strip():
            answers.append(
                Answer(label, text=form.cleaned_data[text.name].strip(), anchor=text.auto_id)
            )
        answers.extend(structured_answer(bound, form) for bound in structured)
    answers.extend(structured_answer(bound, form) for bound in orphans)
    return answers


def beneficiaries_answer(form):
    """The beneficiaries reached as one answer: the figures given, with their labels."""
    pairs = []
    errors = []
    for bound in form.beneficiary_fields():
        if bound.name in form.errors:
            message = " ".join(form.errors[bound.name])
            errors.append(_("%(label)s: %(message)s") % {"label": bound.label, "message": message})
            continue
        value = display(bound, form.cleaned_data.get(bound.name))
        if value:
            pairs.append((bound.label, value))
    anchor = form.beneficiary_fields()[0].auto_id
    label = _("Beneficiaries reached")
    if errors:
        return Answer(label, error=" ".join(errors), anchor=anchor)
    return Answer(label, pairs=pairs, anchor=anchor)


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
    grouped = form.BENEFICIARY_FIELDS if step.number == 4 else ()
    for bound in form:
        if bound.name == "remove_files" or bound.name in grouped:
            continue
        item = answer(bound, form)
        if bound.name.startswith("consent_"):
            item.label = consent_label(bound.name)
        answers.append(item)
        if bound.name == "evidence":
            answers.append(beneficiaries_answer(form))
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
