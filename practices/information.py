"""What the information pages (About, Contact, Privacy notice, Licence) add to their text:
facts that must stay true to the deployment and the code, whatever editors write."""

from django.conf import settings

from .licences import DEFAULT_LICENCE, LICENCES
from .models import CooperationModel, GuidingQuestion
from .models.taxonomy import active_language
from .privacy import personal_data_rows


def publisher():
    """The publisher and the editors' address, from settings (README, Configuration)."""
    return {
        "name": settings.PUBLISHER_NAME,
        "address_lines": [line for line in settings.PUBLISHER_ADDRESS.splitlines() if line],
        "editors_email": settings.EDITORS_EMAIL,
    }


def information_context(kind):
    context = {"publisher": publisher()}
    if kind == "about":
        context["guiding_questions"] = list(GuidingQuestion.objects.all())
        context["cooperation_models"] = list(CooperationModel.objects.all())
    elif kind == "privacy":
        context["contributor_data"] = personal_data_rows("contributors")
        context["reader_data"] = personal_data_rows("readers")
    elif kind == "licence":
        language = active_language()
        context["licences"] = [
            {"info": info, "url": info.url(language), "default": key == DEFAULT_LICENCE}
            for key, info in LICENCES.items()
        ]
    return context
