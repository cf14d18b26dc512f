"""Model fields of the knowledge base."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """A list of slugs from fixed choices (stored as a JSON list, in the choices' order),
    edited as checkboxes: for a closed list of markers an entry may have several of.

    Works the same on SQLite and PostgreSQL; the facets read the list, no query filters it.
    """

    def __init__(self, *args, value_choices=(), **kwargs):
        self.value_choices = list(value_choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["value_choices"] = self.value_choices
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def _ordered(self, values):
        order = [value for value, _label in self.value_choices]
        return [value for value in order if value in set(values)]

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError(_("Give a list of values."), code="invalid")
        known = {choice for choice, _label in self.value_choices}
        unknown = [item for item in value if item not in known]
        if unknown:
            raise ValidationError(
                _("Unknown value: %(values)s."),
                code="invalid_choice",
                params={"values": ", ".join(map(str, unknown))},
            )

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname) or []
        value = self._ordered(value)
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.value_choices,
            required=not self.blank,
            label=kwargs.get("label", self.verbose_name),
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
            coerce=str,
        )
