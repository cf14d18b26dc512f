"""From validated form data to a draft entry under review."""

import re

from django.contrib.auth.models import Group
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Workflow

from ..funding import VictimAssistanceShare
from ..models import (
    VOCABULARY_FIELDS,
    PracticeFunding,
    PracticeIndexPage,
    PracticePage,
    PracticeSource,
    Submission,
)
from ..models.organisations import OrganisationIndex
from ..models.pages import BENEFICIARY_FIELDS, PracticeAttachment
from ..models.workflow import REVIEWERS, WORKFLOW_NAME
from ..roles import EDITORS
from ..sanitising import stored_rich_text
from ..slugs import submission_slug
from .notifications import send_after_commit
from .uploads import stored_name


def collect(forms_by_step):
    """Merge the cleaned data of every step into one dict."""
    data = {}
    for form, formsets in forms_by_step:
        data.update(form.cleaned_data)
        for prefix, formset in formsets.items():
            data[prefix] = [f.cleaned_data for f in formset.forms if f.has_changed()]
    return data


def funding_rows(rows):
    """The funding rows of the entry, their funders and recipients linked to the
    organisations their names give (an unknown name is proposed, unconfirmed, for the
    editors: never a silent duplicate)."""
    index = OrganisationIndex() if rows else None

    def organisation(name):
        return index.named(name)[0]

    return [
        PracticeFunding(
            sort_order=position,
            source=row["source"],
            recipient=row.get("recipient") or "",
            amount=row.get("amount"),
            currency=row.get("currency") or "",
            year_start=row.get("year_start"),
            year_end=row.get("year_end"),
            mechanism=row.get("mechanism"),
            funder=organisation(row["source"]),
            recipient_organisation=organisation(row.get("recipient")),
            funding_type=row.get("funding_type") or "",
            status=row.get("status") or "",
            va_share=row.get("va_share") or VictimAssistanceShare.UNKNOWN,
            channel=row.get("channel") or "",
            amount_usd=row.get("amount_usd"),
            url=row.get("url") or "",
            iati_identifier=(row.get("iati_identifier") or "").strip(),
            note=(row.get("note") or "").strip(),
        )
        for position, row in enumerate(rows)
    ]


#: The single-choice answers the form asks for, stored as slugs ("" when not given).
RESULT_FIELDS = ("status", "evidence", "participation")


def apply_data(page, data):
    page.title = data["title"]
    page.summary = data["summary"]
    page.organisation = data.get("organisation") or ""
    page.partners = data.get("partners") or ""
    page.year = data.get("year")
    page.year_end = data.get("year_end")
    page.answers = [
        {"type": "answer", "value": {"question": slug, "answer": stored_rich_text(answer)}}
        for slug, answer in data["answers"]
    ]
    for name in PracticePage.TEXT_SECTIONS:
        setattr(page, name, stored_rich_text(data.get(name)))
    for field in VOCABULARY_FIELDS.values():
        if field == "guiding_questions":
            continue
        setattr(page, field, list(data.get(field) or []))
    from ..models import GuidingQuestion

    page.guiding_questions = list(
        GuidingQuestion.objects.filter(slug__in=[slug for slug, _ in data["answers"]])
    )
    page.countries = data.get("countries") or []
    for name in RESULT_FIELDS:
        setattr(page, name, data.get(name) or "")
    page.rights_markers = list(data.get("rights_markers") or [])
    for name in BENEFICIARY_FIELDS:
        setattr(page, name, data.get(name))
    page.beneficiaries_year = data.get("beneficiaries_year")
    page.beneficiaries_note = (data.get("beneficiaries_note") or "").strip()
    page.tags.set(data.get("tags") or [], clear=True)
    page.funding = funding_rows(data.get("funding", []))
    page.sources = [
        PracticeSource(sort_order=position, title=row["title"], url=row["url"])
        for position, row in enumerate(data.get("sources", []))
    ]


REVIEW_COLLECTION = "Contributions under review"
REVIEW_GROUPS = (EDITORS, REVIEWERS)


def review_collection():
    """Documents of entries under review: only editors and reviewers may download them."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=REVIEW_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=REVIEW_COLLECTION)
    restrict_to_reviewers(collection)
    return collection


def restrict_to_reviewers(collection):
    """One view restriction on `collection`: the Editors and Reviewers groups (and admins)."""
    restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
    if restriction is None:
        restriction = CollectionViewRestriction(collection=collection)
    restriction.restriction_type = CollectionViewRestriction.GROUPS
    restriction.save()
    restriction.groups.set(Group.objects.filter(name__in=REVIEW_GROUPS))


def release_documents(page):
    """On publication, the entry's attachments move to the public root collection."""
    private = Collection.get_first_root_node().get_children().filter(name=REVIEW_COLLECTION)
    Document = get_document_model()
    ids = [attachment.document_id for attachment in page.attachments.all()]
    Document.objects.filter(pk__in=ids, collection__in=private).update(
        collection=Collection.get_first_root_node()
    )


def attach_files(page, submission):
    Document = get_document_model()
    collection = None
    attachments = []
    for upload in submission.files.all():
        if upload.document is None:
            with upload.file.open("rb") as handle:
                collection = collection or review_collection()
                document = Document(title=upload.name, collection=collection)
                document.file.save(stored_name(upload.name, upload.kind), File(handle), save=False)
                document.save()
            upload.document = document
            upload.save(update_fields=["document"])
        attachments.append(
            PracticeAttachment(sort_order=len(attachments), document=upload.document)
        )
    page.attachments = attachments


def editorial_workflow():
    return Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()


@transaction.atomic
def submit(submission, data):
    """Create (or update) the draft entry and send it to review. Idempotent per status."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.is_editable_by_contributor:
        return submission
    resubmission = submission.status == Submission.Status.CHANGES_REQUESTED
    submission.contact_name = data["contact_name"]
    submission.contact_organisation = data.get("contact_organisation") or ""
    submission.contact_email = data["contact_email"]
    submission.consent_publication = data["consent_publication"]
    submission.consent_contact = data["consent_contact"]

    if resubmission and submission.page_id:
        page = submission.page.specific.get_latest_revision_as_object()
        apply_data(page, data)
        attach_files(page, submission)
        if not page.live:
            # As the page editor does for a draft: the rows (funding, sources, attachments)
            # are saved with the page, so the revision refers to them by id and the editor
            # does not see them as rows added by whoever opens the entry next.
            page.save()
        page.save_revision(log_action=True)
        state = page.current_workflow_state
        if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
            state.resume(user=None)
        elif state is None:
            editorial_workflow().start(page, user=None)
    else:
        index = PracticeIndexPage.objects.get(locale__language_code=submission.language)
        page = PracticePage(live=False, locale=index.locale)
        apply_data(page, data)
        page.slug = submission_slug(index, data["title"], submission.reference)
        attach_files(page, submission)
        index.add_child(instance=page)
        page.save_revision(log_action=True)
        workflow = editorial_workflow() or page.get_workflow()
        workflow.start(page, user=None)
        submission.page = page

    submission.record_status(Submission.Status.SUBMITTED)
    submission.submitted_at = timezone.now()
    submission.reviewer_comment = ""
    submission.save()
    send_after_commit(submission, "received")
    send_after_commit(submission, "reviewers")
    return submission


def editable_text(html):
    """Rich text -> what the contributor edits again: paragraphs as blank lines."""
    import html as html_module

    text = str(html or "").strip()
    # Paragraphs carry attributes once saved (Wagtail's data-block-key): drop them too.
    text = re.sub(r"</p>\s*<p(\s[^>]*)?>", "\n\n", text)
    text = re.sub(r"^<p(\s[^>]*)?>|</p>$", "", text)
    text = re.sub(r"<br\s*/?>", "\n", text)
    return html_module.unescape(text)


def form_data_from_page(page):
    """The form's stored values rebuilt from the entry as it now stands (editors' edits too)."""

    def value(item):
        return "" if item is None else str(item)

    about = {
        name: [value(getattr(page, name))]
        for name in ("title", "summary", "organisation", "partners", "year", "year_end")
    }
    questions = {}
    for child in page.answers:
        slug = child.value["question"]
        questions[f"q_{slug}"] = ["on"]
        questions[f"answer_{slug}"] = [editable_text(child.value["answer"].source)]
    classification = {
        field: [term.slug for term in getattr(page, field).all()]
        for field in VOCABULARY_FIELDS.values()
        if field != "guiding_questions"
    }
    classification["countries"] = [country.code for country in page.countries]
    classification["tags"] = [", ".join(tag.name for tag in page.tags.all())]
    questions["rights_markers"] = list(page.rights_markers or [])
    questions["participation"] = [page.participation or ""]
    results = {name: [editable_text(getattr(page, name))] for name in PracticePage.TEXT_SECTIONS}
    results["status"] = [page.status or ""]
    results["evidence"] = [page.evidence or ""]
    for name in (*BENEFICIARY_FIELDS, "beneficiaries_year", "beneficiaries_note"):
        results[name] = [value(getattr(page, name))]
    rows = {
        "funding": [
            {
                "source": row.source,
                "recipient": row.recipient,
                "amount": value(row.amount),
                "currency": row.currency,
                "year_start": value(row.year_start),
                "year_end": value(row.year_end),
                "mechanism": row.mechanism.slug if row.mechanism_id else "",
                "funding_type": row.funding_type,
                "status": row.status,
                "va_share": row.va_share,
                "channel": row.channel,
                "amount_usd": value(row.amount_usd),
                "url": row.url,
                "iati_identifier": row.iati_identifier,
                "note": row.note,
            }
            for row in page.funding.all()
        ],
        "sources": [{"title": row.title, "url": row.url} for row in page.sources.all()],
    }
    for prefix, items in rows.items():
        results[f"{prefix}-TOTAL_FORMS"] = [str(max(len(items) + 1, 3))]
        results[f"{prefix}-INITIAL_FORMS"] = ["0"]
        for index, item in enumerate(items):
            for name, field_value in item.items():
                results[f"{prefix}-{index}-{name}"] = [field_value]
    return {"1": about, "2": questions, "3": classification, "4": results}
