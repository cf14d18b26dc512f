"""The personal data the site keeps: the list the Privacy notice shows, kept next to the code.

``tests/test_information_pages.py`` compares this list with the models: a field that holds
personal data and is missing here (or a field named here that no longer exists) fails it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


@dataclass(frozen=True)
class PersonalData:
    #: "app_label.Model" and the fields that hold it ("" for what lives outside the database).
    model: str
    fields: tuple
    what: str
    why: str
    kept: str
    #: Whose data: "contributors" or "readers".
    who: str = "contributors"


PERSONAL_DATA = (
    PersonalData(
        "practices.Submission",
        ("contact_name", "contact_email", "contact_organisation"),
        _("Your name, e-mail address and organisation"),
        _(
            "To send you the private link, confirm that your example arrived, and discuss it "
            "with you during the review. Never published, never shown outside the editors' "
            "administration pages."
        ),
        _(
            "As long as the example is published or under review, so that the editors can "
            "reach you."
        ),
    ),
    PersonalData(
        "practices.Submission",
        ("consent_publication", "consent_contact"),
        _("Your two consents (publication of the example, use of your contact details)"),
        _("To record on what terms you sent the example."),
        _("With the example."),
    ),
    PersonalData(
        "practices.Submission",
        ("form_data", "pending_mail"),
        _("What you typed in the form, step by step, and the messages still to be sent to you"),
        _("So that a draft is never lost and an e-mail that could not be sent is tried again."),
        _(
            "A draft nobody has changed for %(days)d days is deleted with its files; a sent "
            "example keeps them with the submission."
        ),
    ),
    PersonalData(
        "practices.Submission",
        ("token_hash", "token_expires_at"),
        _("A fingerprint (hash) of your private link and its expiry date"),
        _("So that only the holder of the link can continue a draft or follow the review."),
        _("The link stops working after %(link_days)d days, or when a newer one is sent."),
    ),
    PersonalData(
        "practices.Submission",
        ("ip_hash",),
        _("A keyed fingerprint of your network address (not the address itself)"),
        _("To limit how many examples one connection can start in an hour."),
        _("With the submission."),
    ),
    PersonalData(
        "practices.SubmissionFile",
        ("file", "name"),
        _("The files you attach, with their names"),
        _("So that the editors can review them; published with the example once it is approved."),
        _("With the example; a draft's files are deleted with the draft."),
    ),
    PersonalData(
        "django_tasks_database.DBTaskResult",
        ("args_kwargs",),
        _("The e-mails we send you, with your address, while they wait to be sent"),
        _("So that an e-mail that could not be sent right away is tried again."),
        _("Deleted %(mail_days)d days after it was sent."),
    ),
    PersonalData(
        "practices.Subscription",
        ("email", "language", "query", "frequency", "created_at", "confirmed_at"),
        _(
            "If you follow a search: your e-mail address, the search, the language of the "
            "page and how often you want the alerts"
        ),
        _(
            "Only to send you the alerts you asked for, and the message that confirms them. "
            "Never published or shared; the editors see how many addresses follow searches, "
            "not which."
        ),
        ngettext_lazy(
            "Until you stop the alerts or delete your data (a link in every alert); a request "
            "you do not confirm is deleted after %(confirm_days)d day.",
            "Until you stop the alerts or delete your data (a link in every alert); a request "
            "you do not confirm is deleted after %(confirm_days)d days.",
            "confirm_days",
        ),
        who="readers",
    ),
    PersonalData(
        "practices.AlertDelivery",
        ("subscription", "entry_key", "page_id", "status", "created_at", "sent_at"),
        _("The examples we sent you about a followed search, and when"),
        _("So that you never receive the same example twice."),
        _("With the followed search."),
        who="readers",
    ),
    PersonalData(
        "django_tasks_database.DBTaskResult",
        ("args_kwargs",),
        _("The alerts we send you, with your address, while they wait to be sent"),
        _("So that an e-mail that could not be sent right away is tried again."),
        _("Deleted %(mail_days)d days after it was sent."),
        who="readers",
    ),
    PersonalData(
        "",
        ("sessionid",),
        _("A session cookie"),
        _(
            "Lets your browser continue a contribution and remembers which translations you "
            "asked for. Only set when you use the form or ask for a translation."
        ),
        _("Two weeks at most, or until you delete it."),
        who="readers",
    ),
    PersonalData(
        "",
        ("csrftoken",),
        _("A security cookie on pages with a form"),
        _("Protects the forms against requests forged by other sites."),
        _("One year, or until you delete it."),
        who="readers",
    ),
)


def retention_values():
    return {
        "days": getattr(settings, "SUBMISSION_DRAFT_RETENTION_DAYS", 180),
        "link_days": getattr(settings, "SUBMISSION_LINK_MAX_AGE_DAYS", 60),
        "mail_days": settings.MAIL_KEEP_DAYS,
        "confirm_days": settings.ALERTS_CONFIRM_DAYS,
    }


def personal_data_rows(who):
    """The rows of the notice for `who`, with the retention periods of the settings."""
    values = retention_values()
    return [
        {"what": item.what, "why": item.why, "kept": str(item.kept % values)}
        for item in PERSONAL_DATA
        if item.who == who
    ]
