"""SQLAlchemy 2.0 typed models, one module per aggregate."""

from models.audit import AuditEntry, audit
from models.base import Base, db, utcnow
from models.ledger import ProcessedMessage, find_processed
from models.outbound import OutboundMessage, OutboundStatus
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
from models.tag import Tag, TagMember, TagOrganization

__all__ = [
    "AuditEntry",
    "Base",
    "Member",
    "MemberStatus",
    "Membership",
    "OrgKind",
    "Organization",
    "OutboundMessage",
    "OutboundStatus",
    "ProcessedMessage",
    "RefusedUser",
    "Role",
    "RoleGrant",
    "Tag",
    "TagMember",
    "TagOrganization",
    "audit",
    "db",
    "find_member",
    "find_processed",
    "utcnow",
]
