"""Funding rows: every row now has its translation key and locale (0009)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0009_translatable_funding"),
    ]

    operations = [
        migrations.AlterField(
            model_name="practicefunding",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="practicefunding",
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
            name="practicefunding",
            unique_together={("translation_key", "locale")},
        ),
    ]
