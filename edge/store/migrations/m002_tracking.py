"""Schema for tracking (owned by that part; empty until it lands)."""

SQL = ""
