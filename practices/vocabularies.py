"""Loading the controlled vocabularies from the project's data file."""

import json
from pathlib import Path

from django.db import transaction

from kb.languages import LANGUAGE_CODES

from .models.taxonomy import VOCABULARIES

VOCABULARIES_FILE = Path(__file__).resolve().parent / "data" / "vocabularies.json"
EXTRA_FIELDS = {"letter", "number", "goal", "article", "confirmed"}
TEXT_FIELDS = [
    f"{kind}_{code}" for kind in ("label", "short_label", "description") for code in LANGUAGE_CODES
]


@transaction.atomic
def load_vocabularies(path=VOCABULARIES_FILE, overwrite=False):
    """Create missing terms; with `overwrite`, also refresh labels of existing ones.

    Editors may have improved labels in the admin, so by default existing terms are left
    as they are. Slugs are never changed. Returns the number of terms created.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created_count = 0
    for key, model in VOCABULARIES.items():
        for position, item in enumerate(data[key]):
            values = {field: item.get(field, "") for field in TEXT_FIELDS}
            values["sources"] = item.get("sources", [])
            values["sort_order"] = position
            values.update({field: item[field] for field in EXTRA_FIELDS if field in item})
            if overwrite:
                _term, created = model.objects.update_or_create(slug=item["slug"], defaults=values)
            else:
                _term, created = model.objects.get_or_create(slug=item["slug"], defaults=values)
            created_count += created
    return created_count
