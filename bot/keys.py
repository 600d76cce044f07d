"""The Redis key scheme: every prefix the bot uses, defined once."""

from __future__ import annotations

PREFIX = "pioneer"


def dedup(message_key: str) -> str:
    """Claim on one inbound message (value: 'processing' or 'done:<reply>')."""
    return f"{PREFIX}:dedup:{message_key}"


def conversation(userid: str) -> str:
    """A member's active conversation state (JSON)."""
    return f"{PREFIX}:conv:{userid}"


def access_token(corp_id: str, agent_id: int) -> str:
    """The cached WeCom access token shared by every process."""
    return f"{PREFIX}:wecom:token:{corp_id}:{agent_id}"


def access_token_lock(corp_id: str, agent_id: int) -> str:
    """The lock held while one process fetches a new access token."""
    return f"{PREFIX}:wecom:token-lock:{corp_id}:{agent_id}"


def cron_lock(name: str) -> str:
    """Guard so two cron ticks of the same name never run at once."""
    return f"{PREFIX}:cron:{name}"


def outbound_claim(outbound_id: int) -> str:
    """Held by the one worker sending an outbound message."""
    return f"{PREFIX}:outbound:{outbound_id}"


def roster_sync() -> str:
    """Progress of the running (or interrupted) roster sync, JSON."""
    return f"{PREFIX}:roster-sync:state"


def roster_sync_seen() -> str:
    """Userids the current roster sync found in WeCom (a set)."""
    return f"{PREFIX}:roster-sync:seen"


def roster_sync_lock() -> str:
    """Held while a roster sync runs, so two never overlap."""
    return f"{PREFIX}:roster-sync:lock"


def roster_version() -> str:
    """Bumped after every commit that changes the roster; cached members of older ones die."""
    return f"{PREFIX}:roster:version"


def cached_member(userid: str) -> str:
    """A member (with roles) as of one roster version, pickled."""
    return f"{PREFIX}:member:{userid}"


def read_oauth_state(state: str) -> str:
    """A pending tracked-link login: the OAuth state, pointing at the link's token."""
    return f"{PREFIX}:read:oauth:{state}"


def read_done(nonce: str) -> str:
    """Set once a 读完了 form (by its nonce) has been counted, so a repeat adds nothing."""
    return f"{PREFIX}:read:done:{nonce}"


def robot_window(robot_id: int) -> str:
    """A group robot's sends in the last minute (a sorted set scored by time), for 20/min."""
    return f"{PREFIX}:robot:window:{robot_id}"


def group_send_claim(broadcast_id: int) -> str:
    """Held by the one worker sending a broadcast to its group chats."""
    return f"{PREFIX}:robot:claim:{broadcast_id}"


def push_form(form_key: str) -> str:
    """Claimed by the console's 新建推送 form (its one-time key): "pending", then the push id,
    so the same form submitted twice creates one push."""
    return f"{PREFIX}:console:push-form:{form_key}"


def campaign_form(form_key: str) -> str:
    """Claimed by the console's 新建活动 form (its one-time key): "pending", then the campaign
    id, so the same form submitted twice creates one campaign."""
    return f"{PREFIX}:console:campaign-form:{form_key}"


def round_form(form_key: str) -> str:
    """Claimed by the console's 开放报名 form (its one-time key): "pending", then the round id,
    so the same form submitted twice opens one round of lecturer applications."""
    return f"{PREFIX}:console:round-form:{form_key}"


def live_upload(token: str) -> str:
    """A viewer list checked in the console's 红色直播间 page, kept (a hash: the file, its name,
    title, start and who checked it) until it is confirmed once or expires."""
    return f"{PREFIX}:console:live-upload:{token}"


def live_confirm(token: str) -> str:
    """Claimed by the confirm of a checked viewer list: "pending", then the session id, so a
    confirm sent twice imports once."""
    return f"{PREFIX}:console:live-confirm:{token}"


def robot_form(form_key: str) -> str:
    """Claimed by the console's 登记群机器人 form (its one-time key): "pending", then the robot
    id, so the same form submitted twice registers (and test-messages) once."""
    return f"{PREFIX}:console:robot-form:{form_key}"


def meeting_form(form_key: str) -> str:
    """Claimed by the console's 登记会议 form (its one-time key): "pending", then the meeting
    id, so the same form submitted twice records one meeting."""
    return f"{PREFIX}:console:meeting-form:{form_key}"


def question_form(form_key: str) -> str:
    """Claimed by the console's 问题箱 answer and edit forms (their one-time key): "pending",
    then the question id, so the same form submitted twice answers (and tells the member) once."""
    return f"{PREFIX}:console:question-form:{form_key}"
