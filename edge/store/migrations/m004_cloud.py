"""Schema for cloud (owned by that part; empty until it lands)."""

SQL = ""
