from ..facets import VOCABULARY_FIELDS
from .alerts import AlertDelivery, Subscription
from .country_profiles import CountryProfile
from .organisations import Organisation
from .pages import (
    CLASSIFICATION_PLAIN_FIELDS,
    PracticeAttachment,
    PracticeFunding,
    PracticeIndexPage,
    PracticePage,
    PracticePageTag,
    PracticeSource,
)
from .submissions import Submission, SubmissionFile
from .taxonomy import (
    VOCABULARIES,
    ActionPlanAction,
    ActorType,
    CooperationModel,
    CRPDArticle,
    FundingMechanism,
    GuidingQuestion,
    Region,
    SdgTarget,
    SustainableDevelopmentGoal,
    TagLabel,
    VictimAssistanceComponent,
    VocabularyTerm,
    tag_label,
    tag_labels,
)
from .translation_requests import TranslationRequest
from .workflow import EditorialReviewTask

__all__ = [
    "AlertDelivery",
    "CLASSIFICATION_PLAIN_FIELDS",
    "VOCABULARIES",
    "VOCABULARY_FIELDS",
    "ActionPlanAction",
    "ActorType",
    "CRPDArticle",
    "CooperationModel",
    "CountryProfile",
    "EditorialReviewTask",
    "Organisation",
    "FundingMechanism",
    "GuidingQuestion",
    "PracticeAttachment",
    "PracticeFunding",
    "PracticeIndexPage",
    "PracticePage",
    "PracticePageTag",
    "PracticeSource",
    "Region",
    "SdgTarget",
    "Submission",
    "Subscription",
    "SubmissionFile",
    "SustainableDevelopmentGoal",
    "TagLabel",
    "TranslationRequest",
    "VictimAssistanceComponent",
    "VocabularyTerm",
    "tag_label",
    "tag_labels",
]
