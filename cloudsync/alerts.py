"""Staff alerts moved to the edge (edge/alerts/) so the robots work with cloud sync off; this name stays for
callers of the old import path."""

from __future__ import annotations

from edge.alerts.service import StaffAlerts as Alerts
from edge.alerts.texts import ALERT_TYPES, SECRET_KEYS, build_request, delivered

__all__ = ["ALERT_TYPES", "SECRET_KEYS", "Alerts", "build_request", "delivered"]
