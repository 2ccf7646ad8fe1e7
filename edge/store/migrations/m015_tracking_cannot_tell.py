"""Staff teach it (issue 15; ADR 0056): a queue row staff cannot tell is set aside, not deleted.

`tracking_text_queue.set_aside_at` / `set_aside_by`: when and by whom a row was marked "can't tell". The row is
kept and still counted (`seen` goes on growing), the queue page lists it under "set aside" with an undo, and the
text keeps reading as it does; a new template still enters the queue.
"""

SQL = """
ALTER TABLE tracking_text_queue ADD COLUMN set_aside_at TEXT;
ALTER TABLE tracking_text_queue ADD COLUMN set_aside_by TEXT;
"""
