"""Tracking intelligence: carrier detection, milestone classification, anomalies, follow-ups, reports."""
