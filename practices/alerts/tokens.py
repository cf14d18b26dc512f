"""The keyed links of a subscription's mails: confirm, and manage (which also unsubscribes).

A token is the subscription's id and a keyed hash (SECRET_KEY) of the id and the row's
random secret: it cannot be guessed or made from the database alone, needs no session, and
stays valid as long as the subscription exists, so that the links of every mail sent keep
working (RFC 8058 asks that of the unsubscribe link).
"""

from django.utils.crypto import constant_time_compare, salted_hmac

CONFIRM = "confirm"
MANAGE = "manage"


def _mac(subscription, purpose):
    value = f"{subscription.pk}:{subscription.secret}"
    return salted_hmac(f"alianzas.alerts.{purpose}", value, algorithm="sha256").hexdigest()[:40]


def make_token(subscription, purpose):
    return f"{subscription.pk}-{_mac(subscription, purpose)}"


def subscription_for_token(token, purpose):
    """The subscription the token was made for, or None."""
    from ..models import Subscription

    number, _dash, mac = (token or "").partition("-")
    if not number.isdigit() or len(number) > 18 or not mac:
        return None
    subscription = Subscription.objects.filter(pk=int(number)).first()
    if subscription is None or not constant_time_compare(mac, _mac(subscription, purpose)):
        return None
    return subscription
