"""Entries get a licence; tags get labels in four languages; sources and attachments become
translatable (wagtail-localize segments), each row in its page's language, the rows of the
versions of one entry sharing a translation key by position. 0007 makes the keys required."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def labels_for_existing_tags(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TagLabel = apps.get_model("practices", "TagLabel")
    have = set(TagLabel.objects.values_list("tag_id", flat=True))
    TagLabel.objects.bulk_create(
        [TagLabel(tag_id=pk) for pk in Tag.objects.values_list("pk", flat=True) if pk not in have]
    )


def keys_and_locales_for_child_rows(apps, schema_editor):
    PracticePage = apps.get_model("practices", "PracticePage")
    versions = {}
    for pk, key, locale_id in PracticePage.objects.order_by("pk").values_list(
        "pk", "translation_key", "locale_id"
    ):
        versions.setdefault(key, []).append((pk, locale_id))
    for model_name in ("PracticeSource", "PracticeAttachment"):
        Model = apps.get_model("practices", model_name)
        rows_by_page = {}
        for row in Model.objects.order_by("sort_order", "pk"):
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
        if Model.objects.filter(locale__isnull=True).exists():
            raise RuntimeError(f"{model_name}: rows without a page locale")


class Migration(migrations.Migration):

    dependencies = [
        ("practices", "0006_upload_hardening"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name="practicepage",
            name="licence",
            field=models.CharField(
                choices=[
                    ("CC-BY-4.0", "CC BY 4.0"),
                    ("CC-BY-SA-4.0", "CC BY-SA 4.0"),
                    ("CC0-1.0", "CC0 1.0"),
                ],
                default="CC-BY-4.0",
                help_text="The open licence readers may reuse the entry under.",
                max_length=20,
                verbose_name="licence",
            ),
        ),
        migrations.CreateModel(
            name="TagLabel",
            fields=[
                (
                    "tag",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="labels",
                        serialize=False,
                        to="taggit.tag",
                        verbose_name="tag",
                    ),
                ),
                ("label_en", models.CharField(blank=True, max_length=100, verbose_name="label (English)")),
                ("label_fr", models.CharField(blank=True, max_length=100, verbose_name="label (French)")),
                ("label_es", models.CharField(blank=True, max_length=100, verbose_name="label (Spanish)")),
                ("label_ar", models.CharField(blank=True, max_length=100, verbose_name="label (Arabic)")),
            ],
            options={
                "verbose_name": "tag",
                "verbose_name_plural": "tags",
                "ordering": ["tag__name"],
            },
        ),
        migrations.AddField(
            model_name="practiceattachment",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="Shown to readers; the document's title when left empty.",
                max_length=255,
                verbose_name="title",
            ),
        ),
    ]
    for _model in ("practicesource", "practiceattachment"):
        operations += [
            migrations.AddField(
                model_name=_model,
                name="translation_key",
                field=models.UUIDField(editable=False, null=True),
            ),
            migrations.AddField(
                model_name=_model,
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
        ]
    operations += [
        migrations.RunPython(labels_for_existing_tags, migrations.RunPython.noop),
        migrations.RunPython(keys_and_locales_for_child_rows, migrations.RunPython.noop),
    ]
