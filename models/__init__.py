"""SQLAlchemy 2.0 typed models, one module per aggregate."""

from models.base import Base, db, utcnow
from models.ledger import ProcessedMessage, find_processed
from models.outbound import OutboundMessage, OutboundStatus
from models.roster import (
    Member,
    Membership,
    MemberStatus,
    Organization,
    OrgKind,
    Role,
    RoleGrant,
    find_member,
)

__all__ = [
    "Base",
    "Member",
    "MemberStatus",
    "Membership",
    "OrgKind",
    "Organization",
    "OutboundMessage",
    "OutboundStatus",
    "ProcessedMessage",
    "Role",
    "RoleGrant",
    "db",
    "find_member",
    "find_processed",
    "utcnow",
]
