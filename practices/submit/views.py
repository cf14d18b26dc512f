"""The public contribution form: five steps, drafts behind a private link, no JavaScript needed.

Each POST stores what was typed on the private Submission before anything else, so an invalid
step, a "back", an "add a row" or a "save draft" never loses a value. Every successful POST
redirects (POST/redirect/GET); the final one is idempotent on the submission's status.
"""

import secrets
from functools import wraps
from http import HTTPStatus

from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..models import Submission, SubmissionFile
from . import guards, services, tokens, uploads
from .forms import EMPTY_ROWS, STEP_COUNT, STEPS, DraftEmailForm
from .notifications import send_after_commit

NOT_STORED = {
    "csrfmiddlewaretoken",
    guards.HONEYPOT,
    guards.STAMP,
    "form_key",
    "action",
    "draft_email",
    "remove_files",
}


def _language():
    return (get_language() or "en").split("-")[0]


def _stored(submission, number):
    raw = submission.form_data.get(str(number))
    return MultiValueDict(raw) if raw is not None else None


def _raw(post):
    return {key: post.getlist(key) for key in post if key not in NOT_STORED}


def build_forms(step, data=None, submission=None):
    """The step's form and formsets, bound to `data` when given."""
    kwargs = {}
    if step.number == 4:
        kwargs["files_kept"] = list(submission.files.all()) if submission else []
    form = (
        step.form_class(data, auto_id="id_%s", **kwargs)
        if data is not None
        else (step.form_class(auto_id="id_%s", **kwargs))
    )
    formsets = {}
    for prefix, formset_class, _heading in step.formsets:
        formset_data = data
        if formset_data is None or f"{prefix}-TOTAL_FORMS" not in formset_data:
            formset_data = MultiValueDict(
                {f"{prefix}-TOTAL_FORMS": [str(EMPTY_ROWS)], f"{prefix}-INITIAL_FORMS": ["0"]}
            )
        formsets[prefix] = formset_class(formset_data, prefix=prefix)
    return form, formsets


def describe(form):
    """Link each input to its help text and error message for assistive technologies."""
    for name, field in form.fields.items():
        bound = form[name]
        ids = []
        if field.help_text:
            ids.append(f"{bound.auto_id}_help")
        if form.is_bound and bound.errors:
            ids.append(f"{bound.auto_id}_error")
            field.widget.attrs["aria-invalid"] = "true"
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)
    return form


def _valid(form, formsets):
    results = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
    return all(results)


def error_summary(form, formsets, extra=()):
    """(anchor id, message) for every error, in the order of the page."""
    items = []
    for message in form.non_field_errors():
        items.append(("step-form", message))
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        field = form[name]
        anchor = field.auto_id
        if (
            hasattr(field.field.widget, "allow_multiple_selected")
            and getattr(field.field.widget, "input_type", "") == "checkbox"
        ):
            anchor = f"{anchor}_0"
        for message in errors:
            items.append((anchor, f"{field.label}: {message}"))
    for prefix, formset in formsets.items():
        for message in formset.non_form_errors():
            items.append((prefix, message))
        for index, row in enumerate(formset.forms, start=1):
            for name, errors in row.errors.items():
                for message in errors:
                    label = row[name].label if name != "__all__" else ""
                    items.append(
                        (
                            row[name].auto_id if name != "__all__" else prefix,
                            f"{label} ({index}): {message}",
                        )
                    )
    items.extend(extra)
    return items


def render_step(request, step, form, formsets, submission=None, status=HTTPStatus.OK, **extra):
    context = {
        "step": step,
        "steps": STEPS,
        "step_count": STEP_COUNT,
        "form": form,
        "formsets": [
            (prefix, formsets[prefix], heading) for prefix, _cls, heading in step.formsets
        ],
        "submission": submission,
        "done_steps": [int(key) for key in submission.form_data if key.isdigit()]
        if submission
        else [],
        "stamp": guards.new_stamp(),
        "honeypot": guards.HONEYPOT,
        "form_key": extra.pop("form_key", None) or secrets.token_urlsafe(24),
        "draft_form": extra.pop("draft_form", None)
        or DraftEmailForm(initial={"draft_email": submission.contact_email if submission else ""}),
        "max_files": uploads.max_files(),
        "max_file_mb": uploads.max_file_size() // (1024 * 1024),
    }
    errors = error_summary(form, formsets, extra.pop("extra_errors", ()))
    for each in [form, *(row for formset in formsets.values() for row in formset.forms)]:
        describe(each)
    if form.is_bound and not extra.get("hide_errors"):
        context["errors"] = errors
    context.update(extra)
    template = "practices/submit/step.html"
    return render(request, template, context, status=status)


def _too_large(request):
    return render(
        request,
        "practices/submit/problem.html",
        {
            "heading": _("The files are too large"),
            "message": _(
                "Together, the files sent at once may not exceed %(size)d MB. What you typed "
                "before is kept: go back and attach fewer or smaller files."
            )
            % {"size": guards.max_request_size() // (1024 * 1024)},
        },
        status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    )


def _honeypot(request):
    return render(
        request,
        "practices/submit/problem.html",
        {"heading": _("The form could not be accepted"), "message": guards.HONEYPOT_FILLED},
        status=HTTPStatus.BAD_REQUEST,
    )


@require_http_methods(["GET", "POST"])
def start(request):
    """The explanation and the first step; the first valid POST creates the draft."""
    step = STEPS[0]
    if request.method == "GET":
        form, formsets = build_forms(step)
        return render_step(request, step, form, formsets, intro=True)
    if guards.request_too_large(request):
        return _too_large(request)
    if request.POST.get(guards.HONEYPOT):
        return _honeypot(request)

    form_key = (request.POST.get("form_key") or "")[:64]
    existing = Submission.objects.filter(idempotency_key=form_key).first() if form_key else None
    if existing is not None and existing.is_editable_by_contributor:
        # A second click or a refresh of the first step: continue with the same draft. The
        # key is a random value only the page that rendered this form knows, like a CSRF
        # token, so it identifies the same contributor even before their session is saved.
        tokens.grant(request, existing)
        return step_post(request, existing, step)

    form, formsets = build_forms(step, request.POST)
    problem = guards.stamp_error(request.POST.get(guards.STAMP))
    ip_hash = guards.address_hash(request)
    status = HTTPStatus.OK
    if problem is None and guards.rate_limited(ip_hash):
        problem, status = guards.RATE_LIMITED, HTTPStatus.TOO_MANY_REQUESTS
    if problem is not None:
        form.is_valid()
        return render_step(
            request,
            step,
            form,
            formsets,
            status=status,
            intro=True,
            form_key=form_key,
            extra_errors=[("step-form", problem)],
        )
    action = request.POST.get("action", "next")
    if action != "save_draft" and not form.is_valid():
        return render_step(request, step, form, formsets, intro=True, form_key=form_key)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                language=_language(),
                channel=Submission.Channel.FORM,
                idempotency_key=form_key or None,
                ip_hash=ip_hash,
                form_data={"1": _raw(request.POST)},
            )
    except IntegrityError:
        # The same form was sent twice at once: the first one created the draft.
        submission = Submission.objects.get(idempotency_key=form_key)
    else:
        guards.count(ip_hash)
    tokens.grant(request, submission)
    return step_post(request, submission, step)


class PrivateLinkNeeded(Http404):
    """This browser has not opened the submission's private link (or no such submission)."""


def _submission_or_404(request, reference):
    submission = Submission.objects.filter(
        reference=reference, channel=Submission.Channel.FORM
    ).first()
    if submission is None or not tokens.is_granted(request, submission):
        raise PrivateLinkNeeded
    return submission


def explains_private_link(view):
    """A bookmarked address of a contribution, opened without its private link, says how to
    get back to it. The same page answers for a reference that does not exist, so that the
    page tells nothing about which references do."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PrivateLinkNeeded:
            return render(
                request,
                "practices/submit/private_link_needed.html",
                {"reference": kwargs.get("reference", "")},
                status=HTTPStatus.NOT_FOUND,
            )

    return inner


def _step_url(submission, number):
    return reverse("submit:step", kwargs={"reference": submission.reference, "number": number})


@explains_private_link
@require_http_methods(["GET", "POST"])
def step_view(request, reference, number):
    submission = _submission_or_404(request, reference)
    if not 1 <= number <= STEP_COUNT:
        raise Http404
    if not submission.is_editable_by_contributor:
        return redirect("submit:status", reference=submission.reference)
    step = STEPS[number - 1]
    if request.method == "GET":
        data = _stored(submission, number)
        form, formsets = build_forms(step, data, submission)
        return render_step(request, step, form, formsets, submission, hide_errors=data is None)
    if guards.request_too_large(request):
        return _too_large(request)
    if request.POST.get(guards.HONEYPOT):
        return _honeypot(request)
    return step_post(request, submission, step)


def _handle_files(request, submission):
    """Remove the files asked for, keep every valid new file; return error messages."""
    remove = set(request.POST.getlist("remove_files"))
    if remove:
        for kept in submission.files.filter(pk__in=[pk for pk in remove if pk.isdigit()]):
            kept.file.delete(save=False)
            kept.delete()
    errors = []
    incoming = [f for f in request.FILES.getlist("attachments") if f.name]
    room = uploads.max_files() - submission.files.count()
    for upload in incoming:
        kind, error = uploads.check_upload(upload)
        if error is None and room <= 0:
            error = _("“%(name)s” was not kept: at most %(count)d files can be attached.") % {
                "name": upload.name,
                "count": uploads.max_files(),
            }
        if error:
            errors.append(("id_attachments", error))
            continue
        SubmissionFile.objects.create(
            submission=submission,
            file=upload,
            name=upload.name[-200:],
            size=upload.size,
            kind=kind,
        )
        room -= 1
    return errors


def step_post(request, submission, step):
    action = request.POST.get("action", "next")
    raw = _raw(request.POST)
    for prefix, _cls, _heading in step.formsets:
        if action == f"add_{prefix}":
            total = int((raw.get(f"{prefix}-TOTAL_FORMS") or ["0"])[0] or 0)
            raw[f"{prefix}-TOTAL_FORMS"] = [str(min(total + 1, 20))]
    submission.form_data = {**submission.form_data, str(step.number): raw}
    submission.save(update_fields=["form_data", "updated_at"])
    file_errors = _handle_files(request, submission) if step.number == 4 else []

    data = _stored(submission, step.number)
    form, formsets = build_forms(step, data, submission)
    problem = guards.stamp_error(request.POST.get(guards.STAMP))
    if problem is not None and action in ("next", "submit"):
        form.is_valid()
        return render_step(
            request, step, form, formsets, submission, extra_errors=[("step-form", problem)]
        )

    if action.startswith("add_"):
        return redirect(_step_url(submission, step.number) + f"#{action[4:]}")
    if action == "back":
        return redirect(_step_url(submission, max(step.number - 1, 1)))
    if action == "save_draft":
        draft_form = DraftEmailForm(request.POST)
        if not draft_form.is_valid():
            return render_step(
                request,
                step,
                form,
                formsets,
                submission,
                draft_form=draft_form,
                hide_errors=True,
                errors=[("id_draft_email", e) for e in draft_form.errors["draft_email"]],
            )
        ip_hash = guards.address_hash(request)
        if guards.rate_limited(ip_hash, "mail"):
            return render_step(
                request,
                step,
                form,
                formsets,
                submission,
                draft_form=draft_form,
                hide_errors=True,
                errors=[("id_draft_email", guards.MAIL_RATE_LIMITED)],
                status=HTTPStatus.TOO_MANY_REQUESTS,
            )
        guards.count(ip_hash, "mail")
        send_after_commit(submission, "draft", draft_form.cleaned_data["draft_email"])
        return redirect("submit:draft_saved", reference=submission.reference)

    valid = _valid(form, formsets)
    if file_errors or not valid:
        return render_step(
            request,
            step,
            form,
            formsets,
            submission,
            extra_errors=file_errors,
            file_errors=[message for _anchor, message in file_errors],
        )
    if step.number < STEP_COUNT:
        return redirect(_step_url(submission, step.number + 1))
    return finish(request, submission)


def finish(request, submission):
    """Check every step again, then create the entry and start the review."""
    collected = []
    for step in STEPS:
        data = _stored(submission, step.number) or MultiValueDict()
        form, formsets = build_forms(step, data, submission)
        if not _valid(form, formsets):
            return redirect(_step_url(submission, step.number))
        collected.append((form, formsets))
    services.submit(submission, services.collect(collected))
    return redirect("submit:status", reference=submission.reference)


@explains_private_link
def status(request, reference):
    submission = _submission_or_404(request, reference)
    return render(
        request,
        "practices/submit/status.html",
        {"submission": submission, "steps": STEPS, "step_count": STEP_COUNT},
    )


@explains_private_link
def draft_saved(request, reference):
    submission = _submission_or_404(request, reference)
    return render(request, "practices/submit/draft_saved.html", {"submission": submission})


def resume(request, token):
    submission = tokens.submission_for_token(token)
    if submission is None:
        return render(
            request,
            "practices/submit/problem.html",
            {
                "heading": _("This link is not valid"),
                "message": _(
                    "The private link has expired or has been replaced by a newer one. Use the "
                    "most recent email we sent you, or write to the editors."
                ),
            },
            status=HTTPStatus.NOT_FOUND,
        )
    tokens.grant(request, submission)
    return redirect("submit:status", reference=submission.reference)
