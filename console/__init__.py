"""The web console (管理后台) for admins, contacts and lecturers: one blueprint under /console.

Server-rendered Chinese pages over the features' own logic; every route is guarded by
`console.auth.guard` (or marked public: the login pages); every asset is served from here.
"""

from console import (  # noqa: F401  (each module adds its routes to the blueprint)
    application_pages,
    audit_pages,
    broadcast_pages,
    campaign_pages,
    checkin_pages,
    dashboard,
    lecturer_pages,
    live_pages,
    login,
    material_pages,
    meeting_pages,
    order_pages,
    qiangguo_pages,
    reflection_pages,
    reports,
    robot_pages,
    roster_pages,
    study_pages,
    topic_pages,
    upload_pages,
)
from console.views import bp

__all__ = ["bp"]
