"""One message, once: dedup claim, member, route, one transaction with its processed record,
then side effects."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from sqlalchemy import bindparam, event, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session

from bot import keys, member_cache
from bot.context import CommandInfo, Context
from bot.conversation import ConversationState, ConversationStore, FlowRegistry
from bot.extensions import RedisRoundTrip
from bot.inbound import ChangeContactEvent, Inbound
from bot.outbox import Outbox
from bot.replies import Reply, Text, render
from bot.router import Handler, Router, flow_name
from content import texts
from models import ProcessedMessage, db, find_processed, utcnow
from models.direct import WROTE, DirectStatement, take_processed_written

log = logging.getLogger(__name__)

CLAIM_TTL_S = 60  # longer than any handler runs; WeCom retries after 5 s
DONE_TTL_S = 3600  # a finished message's reply is kept this long for replays
SYSTEM_SENDER = "sys"  # change_contact events come from WeCom itself
PROCESSED_INSERT = DirectStatement(insert(ProcessedMessage.__table__).values(
    key=bindparam("key"), userid=bindparam("userid"), kind=bindparam("kind"),
    handler=bindparam("handler"), reply=bindparam("reply"), handled_at=bindparam("handled_at")))


@dataclass(frozen=True)
class MessageResult:
    """What became of one inbound message: the inner reply XML (or None) and how."""

    reply: str | None
    status: str  # handled | replayed | in_progress


class Pipeline:
    """Runs the way of one message (docs/architecture.md, steps 4 to 9) for decrypted messages."""

    def __init__(
        self,
        router: Router,
        flows: FlowRegistry,
        redis_client: redis.Redis,
        corp_id: str,
        enqueue: Callable[[list[int]], None],
        stranger: Handler,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.router = router
        self.stranger = stranger
        self.flows = flows
        self.redis = redis_client
        self.corp_id = corp_id
        self.enqueue = enqueue
        self.clock = clock
        self.conversations = ConversationStore(redis_client, clock)
        self.commands = tuple(
            CommandInfo(c.name, c.keywords[0], c.summary, c.roles) for c in router.commands()
        )

    def process(self, message: Inbound) -> MessageResult:
        """Handle a message at most once; a failing handler releases the claim and re-raises."""
        claim = keys.dedup(message.key)
        trip = RedisRoundTrip(self.redis)  # one round trip: the claim, then the three reads
        trip.set(claim, "processing", nx=True, ex=CLAIM_TTL_S)
        trip.mget(keys.conversation(message.from_user), *member_cache.read_keys(message.from_user))
        claimed, (conversation, *cached) = trip.execute()
        if not claimed:
            value = self.redis.get(claim) or b""
            if value.startswith(b"done:"):
                return MessageResult(value[5:].decode() or None, "replayed")
            return MessageResult(None, "in_progress")
        try:
            result, ctx = self._run(message, conversation, cached)
        except BaseException:
            db.session.rollback()
            take_processed_written()  # a failed message leaves nothing for the next
            self.redis.delete(claim)
            raise
        self._after_commit(ctx, claim, result)
        return result

    def _run(self, message: Inbound, conversation: bytes | None,
             cached: list[bytes | None]) -> tuple[MessageResult, Context]:
        """Run the handler in one transaction; the processed record is written with its writes.

        A handler that wrote nothing (帮助, 我的信息, ...) needs no processed record: its answer is
        kept with the Redis claim, and running it again would change nothing.
        """
        session = db.session
        member = None
        if message.from_user != SYSTEM_SENDER:
            member = member_cache.member_from(self.redis, message.from_user, *cached)
        outbox = Outbox(session, source_key=message.key)
        ctx = Context(
            message=message,
            identity=member.view if member else None,
            session=session,
            outbox=outbox,
            now=datetime.fromtimestamp(self.clock(), UTC),
            commands=self.commands,
            cached=member,
        )
        try:
            route, reply = self._reply(ctx, conversation)
        except IntegrityError as error:  # a write carrying its own processed record met the earlier
            return self._replayed(ctx, error)
        rendered = render(reply, message.from_user, self.corp_id, int(self.clock()))
        for payload in rendered.pushes:
            outbox.send(payload, users=[message.from_user])
        self_recorded = take_processed_written()
        if self_recorded and wrote():  # its own statement committed: nothing else may be pending
            raise RuntimeError(f"{route} wrote both in a self-recording statement and after it")
        if self_recorded or not wrote():
            if db.session.registry.has():  # a reply that only read needs no session at all
                session.rollback()
            return MessageResult(rendered.passive, "handled"), ctx
        try:
            PROCESSED_INSERT.execute(session, {
                "key": message.key, "userid": message.from_user[:64],
                "kind": message.kind[:64], "handler": route, "reply": rendered.passive,
                "handled_at": utcnow(),
            })
            session.commit()
        except IntegrityError:  # handled before: Redis forgot the claim, the record did not
            return self._replayed(ctx)
        return MessageResult(rendered.passive, "handled"), ctx

    @staticmethod
    def _replayed(ctx: Context,
                  error: IntegrityError | None = None) -> tuple[MessageResult, Context]:
        """The message already has a processed record: answer its stored reply, change nothing.
        A handler's integrity `error` that no processed record explains is raised again."""
        db.session.rollback()
        take_processed_written()
        earlier = find_processed(ctx.message.key)
        if earlier is None and error is not None:
            raise error
        ctx.change, ctx.outbox.created, ctx.after = None, [], []
        return MessageResult(earlier.reply if earlier else None, "replayed"), ctx

    def _reply(self, ctx: Context, conversation: bytes | None) -> tuple[str, Reply | None]:
        """Pick the handler and run it; strangers get one polite refusal and nothing else."""
        message, member = ctx.message, ctx.identity
        if isinstance(message, ChangeContactEvent) or message.from_user == SYSTEM_SENDER:
            match = self.router.route(ctx)  # WeCom itself: no one to answer unless a handler does
            if match.route == "fallback":
                log.info("system event %s accepted; no handler takes it", message.kind)
                return "system", None
            return match.route, match.handler(ctx)
        if member is None:
            return "stranger", self.stranger(ctx)
        if not member.is_active:
            return "inactive", Text(texts.MEMBER_INACTIVE)
        self._load_conversation(ctx, conversation)
        match = self.router.route(ctx)
        ctx.route = f"{match.route}:{getattr(match.handler, '__name__', match.route)}"[:64]
        reply = match.handler(ctx)
        ctx.remember_prompt(reply)  # the question a resumed conversation asks again
        if ctx.ended_paused and isinstance(reply, Text):  # what was kept for 继续 is gone now
            reply = Text(texts.LEFT.format(flow=flow_name(ctx.ended_paused)) + "\n"
                         + reply.content)
        if ctx.expired_flow and match.route != "fallback" and isinstance(reply, Text):
            reply = Text(texts.CONVERSATION_EXPIRED + "\n" + reply.content)
        return ctx.route, reply

    def _load_conversation(self, ctx: Context, raw: bytes | None) -> None:
        state = ConversationState.loads(raw) if raw else None
        if state is None:
            return
        flow = self.flows.get(state.flow)
        timeout = flow.timeout_s if flow else 0
        if flow is not None and state.expired(self.clock(), timeout):
            if not state.paused:  # one left on purpose ends without a word
                ctx.expired_flow = state.flow
            ctx.finish()  # cleared after commit unless the handler starts a new one
            return
        if state.paused:  # left for a command: commands run as outside it, 继续 resumes it
            ctx.paused = state
        else:
            ctx.conversation = state

    def _after_commit(self, ctx: Context, claim: str, result: MessageResult) -> None:
        """Mark the message done and apply the conversation change (sent, not awaited), then
        enqueue deliveries, now that the work is durable."""
        trip = RedisRoundTrip(self.redis)
        trip.set(claim, "done:" + (result.reply or ""), ex=DONE_TTL_S)
        if ctx.change is not None and ctx.identity is not None:
            if ctx.change.state is None:
                self.conversations.clear(ctx.identity.userid, trip)
            else:
                self.conversations.save(ctx.identity.userid, ctx.change.state, trip)
        trip.send()  # nothing waits on these: the next round trip of this thread reads the replies
        ids = ctx.outbox.pending_ids()
        if ids:
            try:
                self.enqueue(ids)
            except redis.RedisError:
                log.warning("could not enqueue outbound %s; the sweeper will send them", ids)
        for action in ctx.after:
            try:
                action()
            except Exception:  # the work is committed; a follow-up must not turn it into a 500
                log.exception("after-commit action failed")


def wrote() -> bool:
    """True if the handler changed anything in the database (pending or already flushed)."""
    if not db.session.registry.has():  # the handler never touched the database
        return False
    session = db.session()
    return bool(session.new or session.dirty or session.deleted
                or session.info.pop(WROTE, False))


@event.listens_for(Session, "after_flush")
def _remember_flush(session: Session, context: object) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _remember_write(state: ORMExecuteState) -> None:
    """An INSERT, UPDATE or DELETE run through the session (Core or ORM) is a write too."""
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True
