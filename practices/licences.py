"""The open licences an entry may be published under; CC BY 4.0 unless the editors choose."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from kb.languages import LANGUAGE_CODES as LANGUAGES


class Licence(models.TextChoices):
    """SPDX identifiers: what the API and exports give as `licence.id`."""

    CC_BY_4_0 = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA_4_0 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC0_1_0 = "CC0-1.0", "CC0 1.0"


DEFAULT_LICENCE = Licence.CC_BY_4_0


@dataclass(frozen=True)
class LicenceInfo:
    id: str
    name: str
    title: str
    deed: str

    def url(self, language="en"):
        """The licence deed, in the reader's language where Creative Commons has it."""
        language = language if language in LANGUAGES else "en"
        return f"{self.deed}deed.{language}"


LICENCES = {
    Licence.CC_BY_4_0: LicenceInfo(
        Licence.CC_BY_4_0,
        "CC BY 4.0",
        _("Creative Commons Attribution 4.0 International"),
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    Licence.CC_BY_SA_4_0: LicenceInfo(
        Licence.CC_BY_SA_4_0,
        "CC BY-SA 4.0",
        _("Creative Commons Attribution-ShareAlike 4.0 International"),
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    Licence.CC0_1_0: LicenceInfo(
        Licence.CC0_1_0,
        "CC0 1.0",
        _("Creative Commons CC0 1.0 Universal (public domain dedication)"),
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
}


def licence_info(licence_id):
    return LICENCES.get(licence_id) or LICENCES[DEFAULT_LICENCE]
