"""Local console accounts (admins who log in with a password when WeCom is unreachable)."""

from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from models import ConsoleAccount, audit, db

USERNAME = re.compile(r"[A-Za-z0-9_.-]{3,64}")
MIN_PASSWORD = 12


class AccountError(ValueError):
    """An account that cannot be created or changed; the message says why."""


def find_account(username: str) -> ConsoleAccount | None:
    """The account with this username, or None."""
    return db.session.scalars(select(ConsoleAccount)
                              .where(ConsoleAccount.username == username)).first()


def check_password(password: str) -> None:
    """Raise AccountError unless the password is long enough."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must be at least {MIN_PASSWORD} characters")


def create_admin(username: str, password: str, actor: str) -> ConsoleAccount:
    """Create a local admin account with a hashed password (audited, not committed)."""
    if not USERNAME.fullmatch(username):
        raise AccountError("the username must be 3-64 letters, digits, '_', '.' or '-'")
    if find_account(username) is not None:
        raise AccountError(f"account {username} already exists")
    check_password(password)
    account = ConsoleAccount(username=username, password_hash=generate_password_hash(password))
    db.session.add(account)
    audit(actor, "console.account.create", username)
    return account


def set_password(username: str, password: str, actor: str) -> ConsoleAccount:
    """Give an account a new password and enable it (audited, not committed)."""
    account = find_account(username)
    if account is None:
        raise AccountError(f"no account {username}")
    check_password(password)
    account.password_hash = generate_password_hash(password)
    account.active = True
    audit(actor, "console.account.password", username)
    return account


def disable(username: str, actor: str) -> ConsoleAccount:
    """Disable an account: it can no longer log in (audited, not committed)."""
    account = find_account(username)
    if account is None:
        raise AccountError(f"no account {username}")
    account.active = False
    audit(actor, "console.account.disable", username)
    return account
