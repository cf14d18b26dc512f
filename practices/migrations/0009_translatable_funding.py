"""Funding rows become translatable (wagtail-localize segments: source and recipient), like
sources and attachments in 0007/0008: each row in its page's language, the rows of the
versions of one entry sharing a translation key by position. 0010 makes the keys required
(apart, as 0008: PostgreSQL alters no table with the updates of this one pending)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def keys_and_locales_for_funding_rows(apps, schema_editor):
    PracticePage = apps.get_model("practices", "PracticePage")
    PracticeFunding = apps.get_model("practices", "PracticeFunding")
    versions = {}
    for pk, key, locale_id in PracticePage.objects.order_by("pk").values_list(
        "pk", "translation_key", "locale_id"
    ):
        versions.setdefault(key, []).append((pk, locale_id))
    rows_by_page = {}
    for row in PracticeFunding.objects.order_by("sort_order", "pk"):
        rows_by_page.setdefault(row.page_id, []).append(row)
    for pages in versions.values():
        keys = []  # the n-th row of every version of the entry shares the n-th key
        for page_id, locale_id in pages:
            for position, row in enumerate(rows_by_page.get(page_id, [])):
                if position == len(keys):
                    keys.append(uuid.uuid4())
                row.translation_key = keys[position]
                row.locale_id = locale_id
                row.save(update_fields=["translation_key", "locale"])


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0008_source_and_attachment_keys_required"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name="practicefunding",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="practicefunding",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.RunPython(keys_and_locales_for_funding_rows, migrations.RunPython.noop),
    ]
