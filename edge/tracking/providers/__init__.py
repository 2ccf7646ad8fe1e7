"""Tracking providers: Kuaidi100, Kdniao and 17TRACK. Each module is pure (sign, verify, parse, the
answer the provider expects); `push.py` keeps pushes durable; `routes.py` is the callback route."""
