"""The public contribution form: five steps, drafts behind a private link, no JavaScript needed.

Each POST stores what was typed on the private Submission before anything else, so an invalid
step, a "back", an "add a row" or a "save draft" never loses a value. Every successful POST
redirects (POST/redirect/GET). After the fifth step the contributor checks every answer on one
page, changes any part through its link (the step then leads back to the check page) and sends
from there; sending is idempotent on the submission's status.

The page the contributor last opened is kept in ``form_data["position"]`` (a step number or
"check"), so that the private link of a draft resumes there.
"""

import logging
import secrets
from functools import wraps
from http import HTTPStatus

from django import forms
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..models import Submission
from . import guards, services, tokens, uploads
from .forms import STEP_COUNT, STEPS, DraftEmailForm, build_forms
from .notifications import send_after_commit
from .summary import stored, summarise

logger = logging.getLogger(__name__)

NOT_STORED = {
    "csrfmiddlewaretoken",
    guards.HONEYPOT,
    guards.STAMP,
    "form_key",
    "action",
    "draft_email",
    "remove_files",
}
#: form_data key of the page the contributor last opened: "1" to "5" or CHECK.
POSITION = "position"
CHECK = "check"
#: Session key: the private link was just followed (the next page welcomes the contributor).
RESUMED = "alianzas_submission_resumed"


def _language():
    return (get_language() or "en").split("-")[0]


def _raw(post):
    return {key: post.getlist(key) for key in post if key not in NOT_STORED}


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


def bare(label):
    """A label without its closing punctuation, to be followed by a colon and a message."""
    return str(label).rstrip(" .:;!?؟")


def summary_line(field, message):
    """One line of the error summary: which field, then what is wrong with it.

    A box to tick (a consent, a guiding question) is named by a whole sentence: its message
    says what is needed on its own, without repeating the sentence.
    """
    if isinstance(field.field, forms.BooleanField):
        return message
    return _("%(label)s: %(message)s") % {"label": bare(field.label), "message": message}


def field_anchor(field):
    """The id an error summary links to: the input, or the first box or radio button of a
    group (the group's fieldset has the field's id)."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type == "radio" or (
        input_type == "checkbox" and getattr(widget, "allow_multiple_selected", False)
    ):
        return f"{field.auto_id}_0"
    return field.auto_id


def error_summary(form, formsets, extra=()):
    """(anchor id, message) for every error, in the order of the page."""
    items = []
    for message in form.non_field_errors():
        items.append(("step-form", message))
    for name in form.fields:  # the fields' order is the page's, whatever order they failed in
        field = form[name]
        for message in form.errors.get(name, ()):
            items.append((field_anchor(field), summary_line(field, message)))
    for prefix, formset in formsets.items():
        for message in formset.non_form_errors():
            items.append((prefix, message))
        for index, row in enumerate(formset.forms, start=1):
            for name, errors in row.errors.items():
                for message in errors:
                    if name == "__all__":
                        items.append((prefix, message))
                        continue
                    line = _("%(label)s, row %(number)s: %(message)s") % {
                        "label": bare(row[name].label),
                        "number": index,
                        "message": message,
                    }
                    items.append((field_anchor(row[name]), line))
    items.extend(extra)
    return items


def entry_title(submission):
    """The title the contributor gave (or the entry's, once the editors changed it)."""
    if submission is None:
        return ""
    title = "".join((submission.form_data.get("1") or {}).get("title") or []).strip()
    if not title and submission.page_id:
        title = submission.page.title
    return title


def remember(submission, where):
    """Keep the page the contributor is on, for the private link to resume there."""
    if submission.form_data.get(POSITION) != where:
        submission.form_data = {**submission.form_data, POSITION: where}
        submission.save(update_fields=["form_data", "updated_at"])


def resume_url(submission):
    where = submission.form_data.get(POSITION)
    if where == CHECK:
        return _check_url(submission)
    number = int(where) if str(where).isdigit() and 1 <= int(where) <= STEP_COUNT else 1
    return _step_url(submission, number)


def welcomed_back(request, submission):
    """True once, on the first page shown after the private link was followed."""
    return request.session.pop(RESUMED, None) == submission.pk


def done_steps(submission):
    return [int(key) for key in submission.form_data if key.isdigit()] if submission else []


def draft_form_for(submission):
    email = ""
    if submission is not None:
        contact = (submission.form_data.get(str(STEP_COUNT)) or {}).get("contact_email") or [""]
        email = submission.contact_email or contact[0]
    return DraftEmailForm(initial={"draft_email": email})


def returning_to_check(request):
    """The step was opened from a "Change" link of the check page: it leads back there."""
    return request.GET.get("from") == CHECK


def render_step(request, step, form, formsets, submission=None, status=HTTPStatus.OK, **extra):
    returning = submission is not None and returning_to_check(request)
    action = (
        _step_url(submission, step.number) + ("?from=check" if returning else "")
        if submission
        else reverse("submit:start")
    )
    context = {
        "step": step,
        "steps": STEPS,
        "step_count": STEP_COUNT,
        "form": form,
        "formsets": [
            (prefix, formsets[prefix], heading) for prefix, _cls, heading in step.formsets
        ],
        "submission": submission,
        "entry_title": entry_title(submission),
        "resumed": submission is not None and welcomed_back(request, submission),
        "returning": returning,
        "form_action": action,
        "done_steps": done_steps(submission),
        "stamp": guards.new_stamp(),
        "honeypot": guards.HONEYPOT,
        "form_key": extra.pop("form_key", None) or secrets.token_urlsafe(24),
        "draft_form": extra.pop("draft_form", None) or draft_form_for(submission),
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
    nonce = guards.stamp_nonce(request.POST.get(guards.STAMP))
    ip_hash = guards.address_hash(request)
    status = HTTPStatus.OK
    if problem is None and Submission.objects.filter(stamp_nonce=nonce).exists():
        problem = guards.STAMP_USED
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
                stamp_nonce=nonce,
                ip_hash=ip_hash,
                form_data={"1": _raw(request.POST)},
            )
    except IntegrityError:
        # The same form was sent twice at once: the first one created the draft.
        submission = Submission.objects.filter(idempotency_key=form_key or None).first()
        if submission is None:  # the stamp started another draft meanwhile
            form.is_valid()
            return render_step(
                request,
                step,
                form,
                formsets,
                intro=True,
                form_key=form_key,
                extra_errors=[("step-form", guards.STAMP_USED)],
            )
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


def _check_url(submission):
    return reverse("submit:check", kwargs={"reference": submission.reference})


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
        remember(submission, str(number))
        data = stored(submission, number)
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
    errors = []
    if remove:
        for kept in submission.files.filter(pk__in=[pk for pk in remove if pk.isdigit()]):
            try:
                kept.file.delete(save=False)
            except OSError:
                errors.append(("id_attachments", uploads.storage_failed(kept.name)))
                continue
            kept.delete()
    incoming = [f for f in request.FILES.getlist("attachments") if f.name]
    room = uploads.max_files() - submission.files.count()
    for upload in incoming:
        kind, error = uploads.check_upload(upload)
        if error is None and uploads.already_kept(submission, upload):
            continue  # sent again (a retry, a "back"): kept once
        if error is None and room <= 0:
            error = _("“%(name)s” was not kept: at most %(count)d files can be attached.") % {
                "name": upload.name,
                "count": uploads.max_files(),
            }
        if error:
            errors.append(("id_attachments", error))
            continue
        stored, error = uploads.store(submission, upload, kind)
        if error:
            errors.append(("id_attachments", error))
        if stored:
            room -= 1
    return errors


def step_post(request, submission, step):
    action = request.POST.get("action", "next")
    if action == "submit":
        # The last step's button before the check page existed: it continues, never sends.
        action = "next"
    raw = _raw(request.POST)
    for prefix, _cls, _heading in step.formsets:
        if action == f"add_{prefix}":
            total = int((raw.get(f"{prefix}-TOTAL_FORMS") or ["0"])[0] or 0)
            raw[f"{prefix}-TOTAL_FORMS"] = [str(min(total + 1, 20))]
    submission.form_data = {**submission.form_data, str(step.number): raw}
    submission.save(update_fields=["form_data", "updated_at"])
    file_errors = _handle_files(request, submission) if step.number == 4 else []

    data = stored(submission, step.number)
    form, formsets = build_forms(step, data, submission)
    problem = guards.stamp_error(request.POST.get(guards.STAMP))
    if problem is not None and action == "next":
        form.is_valid()
        return render_step(
            request, step, form, formsets, submission, extra_errors=[("step-form", problem)]
        )

    returning = returning_to_check(request)
    if action.startswith("add_"):
        query = "?from=check" if returning else ""
        return redirect(_step_url(submission, step.number) + f"{query}#{action[4:]}")
    if action == "back":
        return redirect(_step_url(submission, max(step.number - 1, 1)))
    if action == "save_draft":
        remember(submission, str(step.number))
        return save_draft(
            request,
            submission,
            lambda **page: render_step(
                request, step, form, formsets, submission, hide_errors=True, **page
            ),
        )

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
    if returning or step.number == STEP_COUNT:
        return redirect(_check_url(submission))
    return redirect(_step_url(submission, step.number + 1))


def save_draft(request, submission, show_again):
    """Email the private link; `show_again(**context)` renders the page with a problem.

    The address becomes the contact address the last step starts with.
    """
    draft_form = DraftEmailForm(request.POST)
    if not draft_form.is_valid():
        return show_again(
            draft_form=draft_form,
            errors=[("id_draft_email", e) for e in draft_form.errors["draft_email"]],
        )
    ip_hash = guards.address_hash(request)
    if guards.rate_limited(ip_hash, "mail"):
        return show_again(
            draft_form=draft_form,
            errors=[("id_draft_email", guards.MAIL_RATE_LIMITED)],
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
    guards.count(ip_hash, "mail")
    email = draft_form.cleaned_data["draft_email"]
    if submission.contact_email != email:
        submission.contact_email = email
        submission.save(update_fields=["contact_email", "updated_at"])
    send_after_commit(submission, "draft", email)
    return redirect("submit:draft_saved", reference=submission.reference)


def render_check(request, submission, parts, status=HTTPStatus.OK, **extra):
    context = {
        "submission": submission,
        "parts": parts,
        "complete": all(part.valid for part in parts),
        "steps": STEPS,
        "step_count": STEP_COUNT,
        "done_steps": done_steps(submission),
        "entry_title": entry_title(submission),
        "resumed": welcomed_back(request, submission),
        "stamp": guards.new_stamp(),
        "honeypot": guards.HONEYPOT,
        "draft_form": extra.pop("draft_form", None) or draft_form_for(submission),
    }
    context.update(extra)
    return render(request, "practices/submit/check.html", context, status=status)


def incomplete(parts):
    """(anchor, message) for each part that stops the example from being sent."""
    return [
        (
            part.anchor,
            _("Correct the part “%(title)s”.") % {"title": part.step.title}
            if part.started
            else _("Fill in the part “%(title)s”.") % {"title": part.step.title},
        )
        for part in parts
        if not part.valid
    ]


@explains_private_link
@require_http_methods(["GET", "POST"])
def check(request, reference):
    """Every answer on one page, a link to change each part, and the button that sends."""
    submission = _submission_or_404(request, reference)
    if not submission.is_editable_by_contributor:
        return redirect("submit:status", reference=submission.reference)
    if request.method == "GET":
        remember(submission, CHECK)
        return render_check(request, submission, summarise(submission))
    if guards.request_too_large(request):
        return _too_large(request)
    if request.POST.get(guards.HONEYPOT):
        return _honeypot(request)
    parts = summarise(submission)
    if request.POST.get("action") == "save_draft":
        return save_draft(
            request, submission, lambda **page: render_check(request, submission, parts, **page)
        )
    problem = guards.stamp_error(request.POST.get(guards.STAMP))
    if problem is not None:
        return render_check(request, submission, parts, errors=[("send-form", problem)])
    missing = incomplete(parts)
    if missing:
        return render_check(request, submission, parts, errors=missing)
    try:
        services.submit(submission, services.collect([part.forms for part in parts]))
    except OSError:
        # The attachments could not be copied (full or read-only disk): nothing was
        # submitted, the draft is intact and can be sent again.
        logger.exception("could not submit %s", submission.reference)
        return render(
            request,
            "practices/submit/problem.html",
            {
                "heading": _("Your example could not be sent yet"),
                "message": _(
                    "A problem on our side prevented us from storing the attached files. "
                    "Nothing you typed or attached is lost: please send the example again "
                    "later from the page where you check your answers, or write to the editors."
                ),
            },
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    return redirect("submit:status", reference=submission.reference)


@explains_private_link
@require_http_methods(["GET", "HEAD", "POST"])
def status(request, reference):
    submission = _submission_or_404(request, reference)
    link = None
    if request.method == "POST" and request.POST.get("action") == "private_link":
        # The mail with the private link could not be sent yet: the contributor, who is
        # still in the browser that sent the example, takes a new link from the page.
        if submission.mail_failed:
            link = request.build_absolute_uri(
                reverse("submit:resume", kwargs={"token": tokens.issue_token(submission)})
            )
    return render(
        request,
        "practices/submit/status.html",
        {
            "submission": submission,
            "entry_title": entry_title(submission),
            "continue_url": resume_url(submission),
            "steps": STEPS,
            "step_count": STEP_COUNT,
            "private_link": link,
        },
    )


@explains_private_link
def draft_saved(request, reference):
    submission = _submission_or_404(request, reference)
    return render(
        request,
        "practices/submit/draft_saved.html",
        {
            "submission": submission,
            "entry_title": entry_title(submission),
            "continue_url": resume_url(submission),
        },
    )


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
    if submission.status == Submission.Status.DRAFT:
        # A draft continues on the page where the contributor stopped; an example sent or
        # returned by the reviewers opens on its status, with the reviewers' message.
        request.session[RESUMED] = submission.pk
        return redirect(resume_url(submission))
    return redirect("submit:status", reference=submission.reference)
