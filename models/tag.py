"""WeCom tags (标签): named groups of members and organisations, kept in step with WeCom."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db


class Tag(db.Model):
    """A WeCom tag."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    wecom_tag_id: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")


class TagMember(db.Model):
    """A member carrying a tag."""

    __tablename__ = "tag_members"
    __table_args__ = (UniqueConstraint("tag_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)


class TagOrganization(db.Model):
    """An organisation carrying a tag (every member in it is reached by the tag)."""

    __tablename__ = "tag_organizations"
    __table_args__ = (UniqueConstraint("tag_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
