"""SQLAlchemy 2.0 typed models, one module per aggregate."""

from models.audit import AuditEntry, audit
from models.base import Base, db, utcnow
from models.broadcast import Broadcast, BroadcastStatus, GroupMessage, GroupRobot
from models.campaign import Campaign, CampaignKind
from models.lecture import (
    Lecture,
    LectureMode,
    LectureOrder,
    LecturerApplication,
    OrderStatus,
    Rating,
    Topic,
    TopicLecturer,
)
from models.ledger import ProcessedMessage, find_processed
from models.outbound import OutboundMessage, OutboundStatus
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
    Push,
    PushDelivery,
    PushOccurrence,
    PushStatus,
    Series,
)
from models.tag import Tag, TagMember, TagOrganization

__all__ = [
    "AuditEntry",
    "Base",
    "Broadcast",
    "BroadcastStatus",
    "Campaign",
    "CampaignKind",
    "GroupMessage",
    "GroupRobot",
    "Lecture",
    "LectureMode",
    "LectureOrder",
    "LecturerApplication",
    "Material",
    "MaterialKind",
    "MaterialRead",
    "Member",
    "MemberStatus",
    "Membership",
    "OrderStatus",
    "OrgKind",
    "Organization",
    "OutboundMessage",
    "OutboundStatus",
    "ProcessedMessage",
    "Push",
    "PushDelivery",
    "PushOccurrence",
    "PushStatus",
    "Rating",
    "Reflection",
    "ReflectionPart",
    "ReflectionStatus",
    "RefusedUser",
    "Role",
    "RoleGrant",
    "Series",
    "SubjectKind",
    "Tag",
    "TagMember",
    "TagOrganization",
    "Topic",
    "TopicLecturer",
    "audit",
    "db",
    "find_member",
    "find_processed",
    "utcnow",
]
