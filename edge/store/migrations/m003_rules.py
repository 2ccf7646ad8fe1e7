"""Schema for rules (owned by that part; empty until it lands)."""

SQL = ""
