"""学习强国 screenshots: downloaded from WeCom (media/get) right after a report is committed,
and kept in the report's row — the media id alone expires after 3 days."""

from __future__ import annotations

import logging

from bot.extensions import jobs
from bot.jobs import app_context, run_or_enqueue
from bot.services import wecom_client
from bot.wecom import WeComClient
from media.download import fetch_image
from models import QiangguoReport, db

log = logging.getLogger(__name__)


def fetch_screenshot(client: WeComClient, report_id: int) -> str:
    """Download a report's screenshot into its row; what happened ("fetched", "already", ...).

    Rate limits and outages raise (the job is retried); other WeCom errors, such as an
    expired media id (40007), are logged and leave the report with its media id only."""
    report = db.session.get(QiangguoReport, report_id)
    if report is None or not report.media_id:
        log.warning("qiangguo report %s has no screenshot to fetch", report_id)
        return "missing"
    media_id = report.media_id
    if report.image is not None:  # a new screenshot clears the old one's bytes
        return "already"
    download = fetch_image(client, media_id, f"screenshot of qiangguo report {report_id}")
    if isinstance(download, str):
        return download
    db.session.refresh(report)
    if report.media_id != media_id:  # replaced meanwhile: the newer one's job keeps it
        return "replaced"
    report.image, report.image_type = download.data, download.content_type
    db.session.commit()
    log.info("screenshot of qiangguo report %s fetched (%s bytes)", report_id, len(download.data))
    return "fetched"


def fetch_screenshot_job(report_id: int) -> str:
    """RQ job: fetch one report's screenshot (see fetch_screenshot)."""
    with app_context():
        return fetch_screenshot(wecom_client(), report_id)


def enqueue_screenshot_fetch(report_id: int) -> None:
    """Queue the fetch (call after the report is committed)."""
    run_or_enqueue(jobs.queue.enqueue, fetch_screenshot_job, report_id)
