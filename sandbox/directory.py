"""The sandbox corp's contacts: departments, members and tags, as the contacts API sees them.

`DirectoryState` is the contacts part of `SandboxState`. Every public method takes the
state's single lock; helpers whose names end in `_locked` expect the caller to hold it.
"""

from __future__ import annotations

import copy
import secrets
import threading
from collections.abc import Iterable
from typing import Any

ROOT_DEPARTMENT_ID = 1
STATUS_ACTIVE = 1
# Fields new self-built apps no longer receive from user/get and user/list [90196].
PRIVATE_USER_FIELDS = (
    "avatar", "thumb_avatar", "gender", "mobile", "email", "biz_mail", "qr_code", "address",
)


class DirectoryState:
    """Departments, members and tags of the sandbox corp (the base of `SandboxState`)."""

    _lock: threading.Lock
    privacy_restricted: bool
    departments: dict[int, dict[str, Any]]
    users: dict[str, dict[str, Any]]
    tags: dict[int, dict[str, Any]]

    def _reset_directory_locked(self) -> None:
        """Empty the contacts except for the root department (lock held)."""
        self.departments = {}
        self.users = {}
        self.tags = {}
        self._add_department_locked(ROOT_DEPARTMENT_ID, "Sandbox Corp", 0, 0)

    def add_department(
        self,
        id: int,  # WeCom's own field name
        name: str,
        parentid: int = ROOT_DEPARTMENT_ID,
        order: int = 0,
        name_en: str = "",
        department_leader: list[str] | None = None,
    ) -> dict[str, Any]:
        """Add or replace a department and return a copy of its record."""
        with self._lock:
            dept = self._add_department_locked(int(id), name, int(parentid), int(order))
            dept["name_en"] = name_en
            dept["department_leader"] = list(department_leader or [])
            return copy.deepcopy(dept)

    def _add_department_locked(
        self, dept_id: int, name: str, parentid: int, order: int
    ) -> dict[str, Any]:
        """Store a department record (lock held)."""
        dept = {
            "id": dept_id, "name": name, "name_en": "", "department_leader": [],
            "parentid": parentid, "order": order,
        }
        self.departments[dept_id] = dept
        return dept

    def add_user(
        self,
        userid: str,
        name: str,
        department: list[int] | None = None,
        position: str = "",
        status: int = STATUS_ACTIVE,
        **extra: Any,
    ) -> dict[str, Any]:
        """Add or replace a member; extra WeCom fields (alias, mobile, ...) override defaults."""
        departments = [int(d) for d in (department or [ROOT_DEPARTMENT_ID])]
        user: dict[str, Any] = {
            "userid": userid, "name": name, "department": departments,
            "order": [0] * len(departments), "position": position, "mobile": "",
            "gender": "0", "email": "", "biz_mail": "",
            "is_leader_in_dept": [0] * len(departments), "direct_leader": [],
            "avatar": "", "thumb_avatar": "", "telephone": "", "alias": "", "address": "",
            "open_userid": "wo" + secrets.token_hex(8), "main_department": departments[0],
            "extattr": {"attrs": []}, "status": int(status), "qr_code": "",
            "external_position": "", "external_profile": {},
        }
        user.update(extra)
        with self._lock:
            self.users[userid] = user
            return copy.deepcopy(user)

    def add_tag(
        self,
        tagid: int,
        name: str,
        users: Iterable[str] = (),
        parties: Iterable[int] = (),
    ) -> dict[str, Any]:
        """Add or replace a tag holding the given users and departments."""
        tag = {
            "tagid": int(tagid), "tagname": name,
            "userlist": list(users), "partylist": [int(p) for p in parties],
        }
        with self._lock:
            self.tags[int(tagid)] = tag
            return copy.deepcopy(tag)

    def get_user(self, userid: str) -> dict[str, Any] | None:
        """Return an API view of one member (case-insensitive id), or None."""
        with self._lock:
            user = self._find_user_locked(userid, self._user_index_locked())
            return self._user_view_locked(user) if user else None

    def users_in_department(self, dept_id: int, fetch_child: bool) -> list[dict[str, Any]] | None:
        """Return API views of members of a department (and its subtree), or None if unknown."""
        with self._lock:
            if dept_id not in self.departments:
                return None
            wanted = self._subtree_locked(dept_id) if fetch_child else {dept_id}
            return [
                self._user_view_locked(user)
                for user in self.users.values()
                if wanted.intersection(user["department"])
            ]

    def department_tree(self, dept_id: int | None) -> list[dict[str, Any]] | None:
        """Return a department and all its descendants (all when None), or None if unknown."""
        with self._lock:
            start = ROOT_DEPARTMENT_ID if dept_id is None else dept_id
            if start not in self.departments:
                return None
            ordered = self._walk_locked(start)
            if dept_id is None:
                seen = set(ordered)
                ordered += [d for d in sorted(self.departments) if d not in seen]
            return [copy.deepcopy(self.departments[d]) for d in ordered]

    def tag_members(self, tagid: int) -> dict[str, Any] | None:
        """Return tag/get's view of a tag, or None if unknown."""
        with self._lock:
            tag = self.tags.get(tagid)
            if tag is None:
                return None
            userlist = [
                {"userid": uid, "name": self.users[uid]["name"]}
                for uid in tag["userlist"]
                if uid in self.users
            ]
            return {
                "tagname": tag["tagname"], "userlist": userlist,
                "partylist": list(tag["partylist"]),
            }

    def _user_view_locked(self, user: dict[str, Any]) -> dict[str, Any]:
        """Copy a member record, hiding the fields new self-built apps cannot see."""
        view = copy.deepcopy(user)
        if self.privacy_restricted:
            for name in PRIVATE_USER_FIELDS:
                view.pop(name, None)
        return view

    def _user_index_locked(self) -> dict[str, str]:
        """Map lowercased userid -> stored userid."""
        return {uid.lower(): uid for uid in self.users}

    def _find_user_locked(self, userid: str, index: dict[str, str]) -> dict[str, Any] | None:
        """Find a member by exact or case-insensitive userid."""
        user = self.users.get(userid)
        if user is None and userid.lower() in index:
            user = self.users[index[userid.lower()]]
        return user

    def _children_locked(self, dept_id: int) -> list[int]:
        """Direct child department ids, WeCom order (higher `order` first)."""
        kids = [d for d in self.departments.values() if d["parentid"] == dept_id]
        kids = [d for d in kids if d["id"] != dept_id]
        kids.sort(key=lambda d: (-d["order"], d["id"]))
        return [d["id"] for d in kids]

    def _walk_locked(self, dept_id: int) -> list[int]:
        """Depth-first list of a department and its descendants."""
        ordered: list[int] = []
        pending = [dept_id]
        while pending:
            current = pending.pop()
            if current in ordered:
                continue
            ordered.append(current)
            pending.extend(reversed(self._children_locked(current)))
        return ordered

    def _subtree_locked(self, dept_id: int) -> set[int]:
        """A department id plus all its descendants' ids."""
        return set(self._walk_locked(dept_id))
