"""The chat's roles as the authorization matrices send them: five senders in the roster (a
plain member, a contact of this organisation and one of another, a lecturer, an admin), the
role sets the tables name, and what every callback writes besides its feature's rows."""

from __future__ import annotations

M, CH, CO, L, A = "member", "contact_here", "contact_other", "lecturer", "admin"
EVERYONE = frozenset({M, CH, CO, L, A})
CONTACTS = frozenset({CH, CO})
STAFF = frozenset({CH, CO, A})

SENDERS: dict[str, tuple[str, tuple[str, ...]]] = {  # role -> (organisation, grants)
    M: ("本党支部", ()),
    CH: ("本党支部", ("contact",)),
    CO: ("另一党支部", ("contact",)),
    L: ("本党支部", ("lecturer",)),
    A: ("本党支部", ("admin",)),
}
# the exactly-once processed record of every callback
BOOKKEEPING = {"processed_messages", "redis_keys"}
