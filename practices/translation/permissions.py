"""Who publishes a translation: its language's translators, and editors in every language.

wagtail-localize's translation editor offers **Publish in …** when
``page.permissions_for_user(user).can_publish()`` is true, and its publish action checks the
same. The groups' page permissions give translators and editors "add" and "change" only, so
that neither publishes an *original* entry without the editorial review; publishing a
*synced translation* (the target of an enabled wagtail-localize Translation) is allowed here:

- to the members of "Translators (<language>)" for a translation into that language;
- to the members of "Editors" for a translation into any language.

Reviewers are not part of translation. A stopped translation ("Stop synced translation") is an
ordinary page again and is published like one (through the review, or by whoever holds the
publish permission). Whether the text is complete, and whether machine-translated passages
are marked to readers, is checked at publication (``practices.translation.publishing``).
"""

from wagtail.models import PagePermissionTester

from practices.roles import EDITORS, translator_group_name

from .publishing import synced_translation


def is_synced_translation(page):
    """The page is written by wagtail-localize from an original in another language."""
    return synced_translation(page) is not None


def may_publish_translation(user, page):
    """Translators of the page's language and editors publish synced translations."""
    if not user.is_active or not user.is_authenticated:
        return False
    language = page.locale.language_code
    groups = {EDITORS, translator_group_name(language)}
    if not user.groups.filter(name__in=groups).exists():
        return False
    return is_synced_translation(page)


class EntryPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, plus publishing synced translations by the rule above."""

    def can_publish(self):
        if super().can_publish():
            return True
        if self.page_is_root or not self.can_edit():
            return False
        if not hasattr(self, "_publishes_translation"):
            self._publishes_translation = may_publish_translation(self.user, self.page)
        return self._publishes_translation
