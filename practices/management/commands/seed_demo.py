"""`manage.py seed_demo`: the site skeleton, vocabularies, demo entries and demo users.

Deterministic and idempotent (nothing in it is random):

* the site structure and vocabularies are created if missing;
* the organisations of ``practices/data/demo_organisations.json`` (the demo entries' funders
  and recipients, each with its source) are created, confirmed, if missing;
* the demo entries of ``practices/data/demo_practices.json`` are imported and published with
  the import code path (``import_practices``); entries that already exist (same slug in the
  same language) are left as they are, so a second run takes seconds; ``--update`` re-imports
  them (a new revision each);
* demo users are created only with ``DEBUG`` on (development settings), or with
  ``--force-users``. Their passwords are public (see ``DEMO_USERS`` and the README): never
  use them on a server that others can reach.

Everything runs in one transaction: if any step fails, nothing is written.
"""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from .import_practices import prepare_site, run_import, summary_lines

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_practices.json"
#: The authority list of the demo entries' funders and recipients, with a source for each.
DEMO_ORGANISATIONS_FILE = DEMO_FILE.with_name("demo_organisations.json")
ORGANISATION_FIELDS = (
    "name_en", "name_fr", "name_es", "name_ar", "acronym", "country", "website",
)  # fmt: skip


def ensure_demo_organisations():
    """The organisations of DEMO_ORGANISATIONS_FILE, confirmed (existing slugs are left as
    editors made them). Returns the number created."""
    from practices.models import ActorType, Organisation

    records = json.loads(DEMO_ORGANISATIONS_FILE.read_text(encoding="utf-8"))["organisations"]
    actor_types = {term.slug: term for term in ActorType.objects.all()}
    created = 0
    for record in records:
        _organisation, new = Organisation.objects.get_or_create(
            slug=record["slug"],
            defaults={
                **{name: record.get(name, "") for name in ORGANISATION_FIELDS},
                "actor_type": actor_types.get(record.get("actor_type")),
                "confirmed": True,
            },
        )
        created += new
    return created


#: username -> (password, groups, superuser). Group names are those the permissions use.
DEMO_USERS = {
    "admin": ("alianzas-admin", [], True),
    "editor": ("alianzas-editor", ["Editors"], False),
    "reviewer": ("alianzas-reviewer", ["Reviewers"], False),
    "translator-ar": ("alianzas-translator-ar", ["Translators (ar)"], False),
    "translator-en": ("alianzas-translator-en", ["Translators (en)"], False),
    "translator-fr": ("alianzas-translator-fr", ["Translators (fr)"], False),
    "translator-es": ("alianzas-translator-es", ["Translators (es)"], False),
}


def ensure_demo_users():
    """Create the demo users that are missing and put every one in its groups.

    Existing users keep their password. Returns [(username, password, groups, created)].
    """
    User = get_user_model()
    rows = []
    for username, (password, group_names, superuser) in DEMO_USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.org",
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        for name in group_names:
            group, _created = Group.objects.get_or_create(name=name)
            user.groups.add(group)
        rows.append((username, password, ", ".join(group_names) or "superuser", created))
    return rows


class Command(BaseCommand):
    help = (
        "Load the vocabularies, the demo entries (published) and, with DEBUG on, the demo "
        "users. Idempotent: existing entries and users are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=str(DEMO_FILE), help="Import file of the demo entries."
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Re-import demo entries that already exist (a new revision each).",
        )
        parser.add_argument(
            "--force-users",
            action="store_true",
            help="Create the demo users even though DEBUG is off (their passwords are public).",
        )
        parser.add_argument("--no-users", action="store_true", help="Do not create demo users.")

    def handle(self, *args, file, update, force_users, no_users, **options):
        with transaction.atomic():
            prepare_site()
            organisations = ensure_demo_organisations()
            result, seconds = run_import(
                file, publish=True, dry_run=False, skip_existing=not update, stderr=self.stderr
            )
            for invalid in result.invalid:
                self.stderr.write(f"Invalid {invalid}")
            if result.invalid:
                raise CommandError(
                    f"{len(result.invalid)} invalid demo record(s) in {file}: nothing was loaded."
                )
            self.stdout.write(f"Demo organisations created: {organisations}")
            self.stdout.write("Demo entries:")
            for line in summary_lines(result, seconds):
                self.stdout.write(f"  {line}")
            if result.skipped:
                self.stdout.write(
                    "  Existing demo entries were left unchanged (use --update to re-import)."
                )
            users = None
            if no_users:
                pass
            elif settings.DEBUG or force_users:
                users = ensure_demo_users()
            else:
                self.stderr.write(
                    "Demo users were NOT created: DEBUG is off, and their passwords are public. "
                    "Use development settings, or --force-users if you really mean it."
                )
        if users:
            self.stdout.write("")
            self.stdout.write("Demo users (development only; log in at /admin/):")
            width = max(len(name) for name, *_rest in users)
            pwidth = max(len(password) for _name, password, *_rest in users)
            for username, password, role, created in users:
                state = "created" if created else "exists, password unchanged"
                self.stdout.write(f"  {username:<{width}}  {password:<{pwidth}}  {role}  ({state})")
