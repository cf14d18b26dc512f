"""The page editor's round trip: the data its form shows, posted back as the browser does.

`editor_post_data(page, user)` builds the edit view's form for `page` and turns every
field's initial value into what the browser posts: Draftail's content state for rich
text, StreamField's expanded fields, the inline panels' formsets with their ORDER and
DELETE fields, the tag string. `round_trip(page, user)` binds the form to that data.
"""

from django import forms
from wagtail.blocks import ListBlock, StreamBlock, StructBlock


def _block_fields(block, value, prefix, data):
    """The fields Wagtail's block JavaScript posts for `value` of `block` under `prefix`."""
    if isinstance(block, StreamBlock):
        children = list(value)
        data[f"{prefix}-count"] = str(len(children))
        for index, child in enumerate(children):
            data[f"{prefix}-{index}-type"] = child.block_type
            data[f"{prefix}-{index}-deleted"] = ""
            data[f"{prefix}-{index}-order"] = str(index)
            data[f"{prefix}-{index}-id"] = child.id or ""
            _block_fields(child.block, child.value, f"{prefix}-{index}-value", data)
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            _block_fields(child_block, value[name], f"{prefix}-{name}", data)
    elif isinstance(block, ListBlock):
        children = list(value.bound_blocks) if hasattr(value, "bound_blocks") else list(value)
        data[f"{prefix}-count"] = str(len(children))
        for index, child in enumerate(children):
            data[f"{prefix}-{index}-deleted"] = ""
            data[f"{prefix}-{index}-order"] = str(index)
            data[f"{prefix}-{index}-id"] = getattr(child, "id", "") or ""
            child_value = getattr(child, "value", child)
            _block_fields(block.child_block, child_value, f"{prefix}-{index}-value", data)
    else:
        state = block.get_form_state(value)
        if isinstance(state, list):  # a single <select>: its one chosen option
            state = state[0] if state else ""
        data[prefix] = state


def _field_data(form, data):
    for name, field in form.fields.items():
        bound = form[name]
        key = bound.html_name
        value = bound.value()
        if hasattr(field, "block"):
            _block_fields(field.block, bound.initial, key, data)
            continue
        if isinstance(field, forms.ModelChoiceField):
            prepared = field.prepare_value(value)
            if isinstance(prepared, (list, tuple)):
                data[key] = [str(item) for item in prepared]
            else:
                data[key] = "" if prepared is None else str(prepared)
            continue
        widget_value = field.widget.format_value(value)
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        if isinstance(widget_value, (list, tuple)):
            chosen = [str(item) for item in widget_value if item not in (None, "")]
            data[key] = chosen if multiple else (chosen[0] if chosen else "")
        elif widget_value in (None, False):
            if getattr(field.widget, "input_type", "") != "checkbox":
                data[key] = ""
        elif widget_value is True:
            data[key] = "on"
        else:
            data[key] = str(widget_value)
    for formset in getattr(form, "formsets", {}).values():
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = str(management[name].value())
        for child in formset.forms:
            _field_data(child, data)
            if formset.can_order:
                data[child["ORDER"].html_name] = str(child["ORDER"].value() or "")
            if formset.can_delete:
                data.pop(child["DELETE"].html_name, None)


def edit_form_class(page):
    return type(page).get_edit_handler().get_form_class()


def editor_post_data(page, user):
    """What the browser posts back from the edit view of `page`, untouched."""
    page = page.get_latest_revision_as_object()
    form = edit_form_class(page)(instance=page, for_user=user, parent_page=page.get_parent())
    data = {}
    _field_data(form, data)
    return data


def round_trip(page, user):
    """The edit form bound to its own initial data, validated: (form, changed field names)."""
    latest = page.get_latest_revision_as_object()
    data = editor_post_data(page, user)
    form = edit_form_class(latest)(
        data, {}, instance=latest, for_user=user, parent_page=latest.get_parent()
    )
    assert form.is_valid(), form.errors.as_data()
    for name, formset in form.formsets.items():
        assert formset.is_valid(), (name, formset.errors)
    changed = list(form.changed_data)
    for name, formset in form.formsets.items():
        if formset.has_changed():
            changed.append(name)
    return form, changed
