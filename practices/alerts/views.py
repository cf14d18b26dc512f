"""The pages of followed searches: follow, confirm, manage, unsubscribe. No account: the
keyed links of the mails (alerts.tokens) stand for the address. None of these pages is
cached (PAGE_CACHE_EXCLUDED_PATHS): they hold forms with a CSRF token or private data."""

from datetime import timedelta
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kb import ratelimit

from ..models import Subscription
from ..submit import views as submit_views
from .forms import FollowForm, FrequencyForm
from .matching import describe, normalise
from .notifications import search_path, send_confirmation
from .tokens import CONFIRM, MANAGE, make_token, subscription_for_token


def _address_key(email):
    return salted_hmac("alianzas.alerts.address", email, algorithm="sha256").hexdigest()


def _allowed(request, email):
    """Counts the request against the client's and the address's limits."""
    client_limit, client_period = settings.ALERTS_RATE_LIMIT_CLIENT
    address_limit, address_period = settings.ALERTS_RATE_LIMIT_ADDRESS
    if not ratelimit.hit(
        "alerts-client", ratelimit.client_key(request), client_limit, client_period
    ):
        return False
    return ratelimit.hit("alerts-address", _address_key(email), address_limit, address_period)


@require_http_methods(["GET", "POST"])
def follow(request):
    """The form: the search of the query string (GET) or of the form's `query` (POST)."""
    language = get_language()
    if request.method == "POST":
        form = FollowForm(request.POST)
        source = QueryDict(request.POST.get("query", "")[:2000])
    else:
        form = FollowForm(initial={"frequency": Subscription.Frequency.IMMEDIATE})
        source = request.GET
    query, search_errors = normalise(source, language)
    form.fields["query"].initial = query
    status = HTTPStatus.OK
    if request.method == "POST" and form.is_valid() and not search_errors:
        email = form.cleaned_data["email"]
        if _allowed(request, email):
            _subscribe(email, language, query, form.cleaned_data["frequency"])
            return redirect("alerts:check_mail")
        form.add_error(None, _("Too many requests to follow a search. Please try again later."))
        status = HTTPStatus.TOO_MANY_REQUESTS
    errors = []
    if form.is_bound:
        for name, messages in form.errors.items():
            anchor = "id_email" if name in ("email", "__all__") else f"id_{name}"
            errors += [(anchor, message) for message in messages]
    context = {
        "form": submit_views.describe(form),
        "errors": errors,
        "search": describe(query, language),
        "search_errors": search_errors,
        "search_url": search_path(query, language),
        "confirm_days": settings.ALERTS_CONFIRM_DAYS,
    }
    return render(request, "practices/alerts/follow.html", context, status=status)


def _subscribe(email, language, query, frequency):
    """Whatever the address's history, the same answer: a mail to the address."""
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            email=email, language=language, query=query, defaults={"frequency": frequency}
        )
        if not created and not subscription.confirmed:
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
        send_confirmation(subscription)


def check_mail(request):
    return render(request, "practices/alerts/check_mail.html")


class LinkGone(Exception):
    """A link of a mail whose subscription no longer exists (or never did)."""


def _subscription_or_404(token, purpose):
    subscription = subscription_for_token(token, purpose)
    if subscription is None:
        raise LinkGone
    return subscription


def _link_gone(request):
    return render(request, "practices/alerts/link_gone.html", status=HTTPStatus.NOT_FOUND)


def _keyed(view):
    """The views of a mail's link: a link that no longer works says so (404)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LinkGone:
            return _link_gone(request)

    return wrapped


@_keyed
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """A button, never a change on GET: mail scanners open links."""
    subscription = _subscription_or_404(token, CONFIRM)
    expiry = timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    if not subscription.confirmed and subscription.created_at < timezone.now() - expiry:
        raise LinkGone  # deleted by the next purge, as the mail said
    if request.method == "POST":
        if not subscription.confirmed:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
        return redirect(_manage_url(subscription) + "?confirmed=1")
    if subscription.confirmed:  # the link opened again: nothing left to confirm
        return redirect(_manage_url(subscription))
    context = {
        "subscription": subscription,
        "search": describe(subscription.query, subscription.language),
    }
    return render(request, "practices/alerts/confirm.html", context)


def _manage_url(subscription):
    return reverse("alerts:manage", kwargs={"token": make_token(subscription, MANAGE)})


@_keyed
@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscription = _subscription_or_404(token, MANAGE)
    email = subscription.email
    others = Subscription.objects.filter(email=email, confirmed_at__isnull=False)
    if request.method == "POST":
        action = request.POST.get("action")
        # Deleting asks once more, on a page of its own (WCAG 3.3.4: data a person removes
        # is confirmed first); the button there posts `confirmed`.
        confirmed = request.POST.get("confirmed") == "yes"
        if action == "delete-all":
            if not confirmed:
                return _confirm_deletion(request, None)
            Subscription.objects.filter(email=email).delete()
            return redirect("alerts:deleted")
        chosen = others.filter(pk=request.POST.get("subscription") or 0).first()
        if chosen is None:  # a search stopped since (another tab), or not this address's
            return redirect(_manage_url(subscription))
        if action == "delete" and not confirmed:
            return _confirm_deletion(request, chosen)
        if action == "delete":
            chosen.delete()
            rest = others.exclude(pk=chosen.pk).order_by("pk").first()
            if rest is None:
                return redirect("alerts:deleted")
            return redirect(_manage_url(rest) + "?deleted=1")
        form = FrequencyForm(request.POST)
        if action == "frequency" and form.is_valid():
            chosen.frequency = form.cleaned_data["frequency"]
            chosen.save(update_fields=["frequency"])
            return redirect(_manage_url(subscription) + "?saved=1")
        return redirect(_manage_url(subscription))
    # Each search described in the page's language (the mails use the subscriber's).
    language = get_language()
    rows = [
        {
            "subscription": item,
            "search": describe(item.query, language),
            "search_url": search_path(item.query, language),
            "language": item.language,
        }
        for item in others.order_by("created_at", "pk")
    ]
    context = {
        "email": email,
        "rows": rows,
        "frequencies": Subscription.Frequency.choices,
        "confirmed": "confirmed" in request.GET,
        "saved": "saved" in request.GET,
        "deleted": "deleted" in request.GET,
        "mail_days": settings.MAIL_KEEP_DAYS,
    }
    response = render(request, "practices/alerts/manage.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _confirm_deletion(request, chosen):
    """The question before a deletion: one followed search (`chosen`), or all (None)."""
    context = {
        "chosen": chosen,
        "search": describe(chosen.query, get_language()) if chosen is not None else None,
        "back_url": request.path,
    }
    response = render(request, "practices/alerts/confirm_delete.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # RFC 8058: the mail client posts without a session or a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page with a button; POST (the button, or a mail client's one-click): done."""
    subscription = subscription_for_token(token, MANAGE)
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return render(request, "practices/alerts/unsubscribed.html")
    if subscription is None:
        return _link_gone(request)
    context = {
        "subscription": subscription,
        "search": describe(subscription.query, subscription.language),
        "manage_url": _manage_url(subscription),
    }
    return render(request, "practices/alerts/unsubscribe.html", context)


def deleted(request):
    return render(request, "practices/alerts/deleted.html")
