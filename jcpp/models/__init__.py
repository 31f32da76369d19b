"""Every table model, imported once here so that Alembic sees them all."""

from jcpp.models.audit import AuditEvent
from jcpp.models.city import COMMITTEE_KINDS, City, Committee
from jcpp.models.exchange import (
    TOKEN_SCOPES,
    ApiToken,
    ImportedFile,
    PublicMinutes,
    SignalSnapshot,
)
from jcpp.models.followup import (
    FOLLOW_UP_STATUSES,
    CarriedItem,
    FollowUp,
    FollowUpComment,
    FollowUpConcern,
    FollowUpEvent,
    FollowUpTopic,
    Notification,
    RecurringConcern,
    RecurringConcernMember,
)
from jcpp.models.mail import OUTBOX_STATUSES, NoticePreference, OutboxMessage
from jcpp.models.meeting import (
    ATTENDANCE_STATUSES,
    MEETING_STATUSES,
    AgendaItem,
    Attendance,
    Meeting,
)
from jcpp.models.minutes import MAX_MINUTES_BYTES, MINUTES_STATUSES, Minutes, MinutesRevision
from jcpp.models.nlp import (
    ACTION_STATES,
    ORIGINS,
    REVIEW_STATES,
    ActionItem,
    Concern,
    ConcernTopic,
    MeetingTopic,
    MinutesAnalysis,
    NlpModel,
    Topic,
    TopicMention,
)
from jcpp.models.people import MEMBERSHIP_ROLES, Membership, Person
from jcpp.models.scheduler import JOB_RUN_STATUSES, JobLease, JobRequest, JobRun
from jcpp.models.search import SearchDocument, SearchDocumentTopic
from jcpp.models.trend import KeywordMonthCount, TopicMonthCount
from jcpp.models.user import USER_ROLES, User, UserCity, UserCommittee

__all__ = [
    "TOKEN_SCOPES",
    "ApiToken",
    "ImportedFile",
    "PublicMinutes",
    "SignalSnapshot",
    "JOB_RUN_STATUSES",
    "OUTBOX_STATUSES",
    "JobLease",
    "JobRequest",
    "JobRun",
    "NoticePreference",
    "OutboxMessage",
    "FOLLOW_UP_STATUSES",
    "CarriedItem",
    "FollowUpComment",
    "FollowUpConcern",
    "FollowUpEvent",
    "FollowUpTopic",
    "KeywordMonthCount",
    "SearchDocument",
    "SearchDocumentTopic",
    "TopicMonthCount",
    "Notification",
    "RecurringConcern",
    "RecurringConcernMember",
    "ACTION_STATES",
    "ORIGINS",
    "REVIEW_STATES",
    "ActionItem",
    "Concern",
    "ConcernTopic",
    "FollowUp",
    "MeetingTopic",
    "MinutesAnalysis",
    "NlpModel",
    "Topic",
    "TopicMention",
    "ATTENDANCE_STATUSES",
    "COMMITTEE_KINDS",
    "MAX_MINUTES_BYTES",
    "MEETING_STATUSES",
    "MEMBERSHIP_ROLES",
    "MINUTES_STATUSES",
    "USER_ROLES",
    "AgendaItem",
    "Attendance",
    "AuditEvent",
    "City",
    "Committee",
    "Meeting",
    "Membership",
    "Minutes",
    "MinutesRevision",
    "Person",
    "User",
    "UserCity",
    "UserCommittee",
]
