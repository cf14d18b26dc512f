"""Sources and attachments: every row now has its translation key and locale (0006)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("practices", "0007_licence_tag_labels_translatable_sources"),
    ]

    operations = []
    for _model in ("practicesource", "practiceattachment"):
        operations += [
            migrations.AlterField(
                model_name=_model,
                name="translation_key",
                field=models.UUIDField(default=uuid.uuid4, editable=False),
            ),
            migrations.AlterField(
                model_name=_model,
                name="locale",
                field=models.ForeignKey(
                    editable=False,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="wagtailcore.locale",
                    verbose_name="locale",
                ),
            ),
            migrations.AlterUniqueTogether(
                name=_model,
                unique_together={("translation_key", "locale")},
            ),
        ]
