"""The staff console's routes, for the app to include: ``edge.web.console.routes:router``.

Pages are server-rendered HTML (Chinese by default, English with ``?lang=en``); the live grid is a JSON
endpoint the pages poll. Every route here needs a staff session (except login and static files), and
every write needs the session's CSRF token. Handlers stay thin: reads in `queries`, writes via services.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

import edge.web.console.routes_directory as routes_directory
import edge.web.console.routes_dossier as routes_dossier
import edge.web.console.routes_locks as routes_locks
import edge.web.console.routes_messages as routes_messages
import edge.web.console.routes_reconcile as routes_reconcile
import edge.web.console.routes_tracking_labels as routes_tracking_labels
import edge.web.console.routes_tracking_teach as routes_tracking_teach
import edge.web.console.routes_transit as routes_transit
from edge.web.console import (
    exports,
    routes_admin,
    routes_auth,
    routes_dash,
    routes_desk,
    routes_doors,
    routes_feed,
    routes_ops,
    routes_parcels,
    routes_tasks,
)
from edge.web.console.guard import ConsoleGuard

router = APIRouter()
router.include_router(routes_auth.router)
router.include_router(routes_doors.router)  # before the generic /{action} posts
router.include_router(routes_feed.router)
router.include_router(routes_tasks.router)
router.include_router(exports.router)  # /parcels.csv before /parcels/{ref}
router.include_router(routes_dash.router)
router.include_router(routes_dash.api)
router.include_router(routes_parcels.router)
router.include_router(routes_desk.router)
router.include_router(routes_ops.router)
router.include_router(routes_admin.router)
router.include_router(routes_tracking_labels.router)
router.include_router(routes_tracking_teach.router)
router.include_router(routes_transit.router)
router.include_router(routes_dossier.router)
router.include_router(routes_directory.router)
router.include_router(routes_messages.router)
router.include_router(routes_locks.router)
router.include_router(routes_reconcile.router)


def setup(app: FastAPI) -> None:
    """Called by the app factory: install the login guard for every non-public route of the app."""
    app.add_middleware(ConsoleGuard)
