"""Staff sessions ended by logout before their cookie expires (server-side revocation).

A console session is a signed cookie; logging out records its id here until the cookie would have
expired anyway, so a copied cookie stops working at logout.
"""

SQL = """
CREATE TABLE staff_sessions_revoked (
    sid TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
CREATE INDEX staff_sessions_revoked_exp ON staff_sessions_revoked (expires_at);
"""
