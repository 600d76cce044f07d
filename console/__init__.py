"""The web console (管理后台) for admins, contacts and lecturers: one blueprint under /console.

Server-rendered Chinese pages over the features' own logic; every route is guarded by
`console.auth.guard` (or marked public: the login pages); every asset is served from here.
Each page module adds its routes to the blueprint when imported; the features that own them
name them (`pioneer/features.py`), so this package imports none of them.
"""

from console.views import bp

__all__ = ["bp"]
