"""Schema for console (owned by that part; empty until it lands)."""

SQL = ""
