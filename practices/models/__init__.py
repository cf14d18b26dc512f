from ..workflows import EditorialReviewTask
from .pages import (
    CLASSIFICATION_PLAIN_FIELDS,
    VOCABULARY_FIELDS,
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
    ActorType,
    CooperationModel,
    CRPDArticle,
    FundingMechanism,
    GuidingQuestion,
    Region,
    SustainableDevelopmentGoal,
    VictimAssistanceComponent,
    VocabularyTerm,
)
from .translation_requests import TranslationRequest

__all__ = [
    "CLASSIFICATION_PLAIN_FIELDS",
    "VOCABULARIES",
    "VOCABULARY_FIELDS",
    "ActorType",
    "CRPDArticle",
    "CooperationModel",
    "EditorialReviewTask",
    "FundingMechanism",
    "GuidingQuestion",
    "PracticeAttachment",
    "PracticeFunding",
    "PracticeIndexPage",
    "PracticePage",
    "PracticePageTag",
    "PracticeSource",
    "Region",
    "Submission",
    "SubmissionFile",
    "SustainableDevelopmentGoal",
    "TranslationRequest",
    "VictimAssistanceComponent",
    "VocabularyTerm",
]
