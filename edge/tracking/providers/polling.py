"""Polling adapters for Kdniao (instant query, RequestType 8001) and 17TRACK (gettrackinfo), beside the
Kuaidi100 one in edge/tracking/poller.py; same `ProviderAdapter` shape, same `ProviderError` on failure.

Rate limits: the poller never asks about one waybill more than once per `min_interval_s` and spaces its
requests to at most `max_per_minute` (edge/tracking/poller.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from edge.tracking.carriers import CARRIERS
from edge.tracking.providers import kdniao, track17

if TYPE_CHECKING:
    import httpx

KDNIAO_URL = "https://api.kdniao.com/Ebusiness/EbusinessOrderHandle.aspx"
TRACK17_URL = "https://api.17track.net/track/v2.2/gettrackinfo"


class PollError(Exception):
    pass


class KdniaoAdapter:
    name = "kdniao"

    def __init__(self, client: httpx.AsyncClient, url: str, ebusiness_id: str, app_key: str) -> None:
        self.client, self.url, self.ebusiness_id, self._key = client, url or KDNIAO_URL, ebusiness_id, app_key

    async def query(self, carrier: str | None, tracking_number: str, phone_tail: str | None = None) -> list[dict[str, Any]]:
        import httpx  # on first use (decision 0048)
        if not carrier or carrier not in CARRIERS:
            raise PollError(f"carrier {carrier!r} has no Kdniao shipper code")
        form = kdniao.query_form(self.ebusiness_id, self._key, carrier, tracking_number, phone_tail)
        try:
            resp = await self.client.post(self.url, data=form)
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise PollError(f"query failed: {type(exc).__name__}") from None
        if resp.status_code != 200 or not isinstance(data, dict):
            raise PollError(f"HTTP {resp.status_code}")
        if not data.get("Success"):
            raise PollError(f"provider refused: {str(data.get('Reason', ''))[:80]}")
        return kdniao.traces_to_events(data.get("Traces"), data.get("StateEx") or data.get("State"))


class Track17Adapter:
    name = "17track"

    def __init__(self, client: httpx.AsyncClient, url: str, token: str) -> None:
        self.client, self.url, self._token = client, url or TRACK17_URL, token

    async def query(self, carrier: str | None, tracking_number: str, phone_tail: str | None = None) -> list[dict[str, Any]]:
        import httpx  # on first use (decision 0048)
        try:
            resp = await self.client.post(self.url, json=[{"number": tracking_number}],
                                          headers={"17token": self._token})
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise PollError(f"query failed: {type(exc).__name__}") from None
        if resp.status_code != 200 or not isinstance(data, dict):
            raise PollError(f"HTTP {resp.status_code}")
        if data.get("code") not in (0, None):
            raise PollError(f"provider refused: code {data.get('code')}")
        for item in ((data.get("data") or {}).get("accepted") or []):
            if isinstance(item, dict) and item.get("number") == tracking_number:
                return track17.events_of(item.get("track_info"))
        raise PollError("the provider does not know this waybill (register it first)")
