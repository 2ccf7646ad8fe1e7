"""HQ, the other end of the MQTT contract (DESIGN.md sections 4 and 8).

- `watch`: the terminal fleet view (`lockerd hq watch`), no database.
- `serve` and the modules beside it: `lockerd hq serve`, ingest workers into PostgreSQL, the JSON API,
  the fleet page and command dispatch.
"""

from cloudsync.hq.watch import Fleet, SiteView, watch

__all__ = ["Fleet", "SiteView", "watch"]
