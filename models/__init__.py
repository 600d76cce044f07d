"""SQLAlchemy 2.0 typed models, one module per aggregate."""

from models.activity import (
    Activity,
    ActivityAudience,
    ActivityKind,
    Training,
    TrainingEnrolment,
    TrainingKind,
)
from models.analysis import Analysis, AnalysisStatus, WatchHit, WatchScanMark, WatchTerm
from models.assessment import ScoreRule
from models.audit import AuditEntry, audit
from models.base import Base, db, utcnow
from models.book import Book, BookDistribution
from models.broadcast import Broadcast, BroadcastStatus, GroupMessage, GroupRobot
from models.campaign import Campaign, CampaignKind
from models.console import ConsoleAccount
from models.delivery import DeliveryVia, MaterialDelivery
from models.hall import DEFAULT_HALL, HallSlot, VisitBooking, VisitStatus
from models.instance import InstanceMark
from models.lecture import (
    ApplicationRound,
    Lecture,
    LectureMode,
    LectureOrder,
    LecturerApplication,
    OrderStatus,
    Rating,
    Topic,
    TopicLecturer,
)
from models.outbound import OutboundMessage, OutboundStatus
from models.participation import (
    CampaignItem,
    CampaignItemKind,
    CheckIn,
    CheckInStatus,
    LiveSession,
    MeetingKind,
    Nudge,
    OrgMeeting,
    Participation,
    ParticipationKind,
    ParticipationTotal,
    QiangguoReport,
)
from models.participation_rule import ParticipationRule
from models.processed import ProcessedMessage, find_processed
from models.question import Question, QuestionStatus
from models.quiz import QuizAttempt, QuizKind, QuizQuestion
from models.reading_session import ReadingSession
from models.recognition import (
    Award,
    AwardKind,
    Publication,
    PublicationLevel,
    PublicationPlatform,
)
from models.reflection import Reflection, ReflectionPart, ReflectionStatus, SubjectKind
from models.roster import (
    Member,
    Membership,
    MemberStatus,
    Organization,
    OrgKind,
    RefusedUser,
    Role,
    RoleGrant,
    find_member,
)
from models.study import (
    Material,
    MaterialKind,
    MaterialRead,
    MaterialVersion,
    Push,
    PushDelivery,
    PushOccurrence,
    PushStatus,
    Series,
)
from models.tag import Tag, TagMember, TagOrganization

__all__ = [
    "DEFAULT_HALL",
    "Activity",
    "ActivityAudience",
    "ActivityKind",
    "Analysis",
    "AnalysisStatus",
    "ApplicationRound",
    "AuditEntry",
    "Award",
    "AwardKind",
    "Base",
    "Book",
    "BookDistribution",
    "Broadcast",
    "BroadcastStatus",
    "Campaign",
    "CampaignItem",
    "CampaignItemKind",
    "CampaignKind",
    "CheckIn",
    "CheckInStatus",
    "ConsoleAccount",
    "DeliveryVia",
    "GroupMessage",
    "GroupRobot",
    "HallSlot",
    "InstanceMark",
    "Lecture",
    "LectureMode",
    "LectureOrder",
    "LecturerApplication",
    "LiveSession",
    "Material",
    "MaterialDelivery",
    "MaterialKind",
    "MaterialRead",
    "MaterialVersion",
    "MeetingKind",
    "Member",
    "MemberStatus",
    "Membership",
    "Nudge",
    "OrderStatus",
    "OrgKind",
    "OrgMeeting",
    "Organization",
    "OutboundMessage",
    "OutboundStatus",
    "Participation",
    "ParticipationKind",
    "ParticipationRule",
    "ParticipationTotal",
    "ProcessedMessage",
    "Publication",
    "PublicationLevel",
    "PublicationPlatform",
    "Push",
    "PushDelivery",
    "PushOccurrence",
    "PushStatus",
    "QiangguoReport",
    "Question",
    "QuestionStatus",
    "QuizAttempt",
    "QuizKind",
    "QuizQuestion",
    "Rating",
    "ReadingSession",
    "Reflection",
    "ReflectionPart",
    "ReflectionStatus",
    "RefusedUser",
    "Role",
    "RoleGrant",
    "ScoreRule",
    "Series",
    "SubjectKind",
    "Tag",
    "TagMember",
    "TagOrganization",
    "Topic",
    "TopicLecturer",
    "Training",
    "TrainingEnrolment",
    "TrainingKind",
    "VisitBooking",
    "VisitStatus",
    "WatchHit",
    "WatchScanMark",
    "WatchTerm",
    "audit",
    "db",
    "find_member",
    "find_processed",
    "utcnow",
]
