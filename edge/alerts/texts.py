"""What an alert says (pure), in natural Chinese and English, and the robots' request shapes.

Pickup codes and phone tails are never put in an alert.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from typing import TYPE_CHECKING, Any, NamedTuple

from edge import glossary
from edge.alerts.settings import RobotConfig
from edge.tracking.names import KINDS, NEXT_ACTIONS, OWNERS, label

if TYPE_CHECKING:
    import httpx

ALERT_TYPES = ("door.jammed", "door.forced_open", "parcel.overdue", "parcel.anomaly_raised", "parcel.anomaly_escalated")
SECRET_KEYS = ("pickup_code", "code", "phone_tail", "phone")


class Alert(NamedTuple):
    kind: str
    severity: str
    text_zh: str
    text_en: str
    owner: str
    tracking_number: str | None = None
    parcel_id: str | None = None


def _place(data: dict[str, Any], zh: bool) -> str:
    p = data.get("place")
    if not isinstance(p, dict) or not p.get("name"):
        return ""
    kind = str(p.get("kind", ""))
    if kind == "signer":
        return f"签收人：{p['name']}。" if zh else f" Signed for by {p['name']}."
    return f"快递记录的地点：{p['name']}。" if zh else f" Carrier says it was left at {p['name']}."


def from_event(event_type: str, data: dict[str, Any], category: str | None = None) -> Alert | None:
    """The alert for an event, or None when the event is not one staff are alerted about."""
    c = data.get("compartment") or data.get("compartment_id") or "?"
    tn = data.get("tracking_number")
    who = data.get("tracking_number") or data.get("parcel_id") or "?"
    if event_type == "door.jammed":
        return Alert("door_jammed", "red", f"柜门 {c} 卡住了（没有打开），请到现场检查。",
                     f"Door {c} is jammed (it did not open); please check it.", "front_desk")
    if event_type == "door.forced_open":
        return Alert("door_forced", "red", f"柜门 {c} 在没有开门指令时被打开，请到现场查看。",
                     f"Door {c} was opened without a command; please check it.", "front_desk")
    if event_type == "parcel.overdue":
        return Alert("parcel_overdue", "yellow", f"包裹 {who} 在 {c} 超期未取，请移至包裹室。",
                     f"Parcel {who} in {c} is overdue: move it to the parcel room.", "front_desk", tn,
                     data.get("parcel_id"))
    if event_type not in ("parcel.anomaly_raised", "parcel.anomaly_escalated"):
        return None
    kind = str(data.get("kind", ""))
    sev = str(data.get("severity", "yellow"))
    owner = str(data.get("owner") or "front_desk")
    zh_owner, en_owner = label(OWNERS, owner, "zh"), label(OWNERS, owner, "en")
    zh = (f"{'【紧急】' if sev == 'red' else ''}包裹 {who}：{label(KINDS, kind, 'zh')}。{_place(data, True)}"
          f"下一步：{label(NEXT_ACTIONS, kind, 'zh')}。负责人：{zh_owner}。")
    en = (f"{'URGENT: ' if sev == 'red' else ''}Parcel {who}: {label(KINDS, kind, 'en')}.{_place(data, False)}"
          f" Next: {label(NEXT_ACTIONS, kind, 'en')}. Owner: {en_owner}.")
    return Alert(f"anomaly.{kind}", sev, zh, en, owner, tn, data.get("parcel_id"))


def wants(alert: Alert, always_kinds: list[str], any_severity_categories: list[str], category: str | None) -> bool:
    if not alert.kind.startswith("anomaly."):
        return True
    if alert.severity == "red":
        return True
    return alert.kind.removeprefix("anomaly.") in always_kinds or (category or "") in any_severity_categories


def silent(tracking_number: str, hours: float, category: str, carrier: str | None) -> Alert:
    cat_zh = {"fresh": "生鲜", "medicine": "药品", "valuable": "贵重物品"}.get(category, "")
    cat_en = {"fresh": "fresh food", "medicine": "medicine", "valuable": "valuable"}.get(category, "")
    h = f"{hours:.0f}"
    # the carrier by its name (顺丰速运 / SF Express), as staff know it, not its code
    name_zh = glossary.carrier_name(carrier, "zh-CN") if carrier else "快递公司未知"
    name_en = glossary.carrier_name(carrier, "en") if carrier else "carrier unknown"
    return Alert(
        "no_update", "red" if cat_zh else "yellow",
        f"包裹 {tracking_number}{'（' + cat_zh + '）' if cat_zh else ''}已 {h} 小时没有物流更新"
        f"（{name_zh}）。下一步：致电快递客服查询包裹位置。负责人：前台。",
        f"Parcel {tracking_number}{' (' + cat_en + ')' if cat_en else ''} has had no tracking update for {h} hours"
        f" ({name_en}). Next: call the carrier's customer service. Owner: front desk.",
        "front_desk", tracking_number)


def build_request(robot: RobotConfig, site: str, body: dict[str, Any], text: str) -> tuple[str, dict[str, Any]]:
    """(url, JSON body) for one robot. `body` is the generic JSON form (kind "json")."""
    if robot.kind in ("wecom", "dingtalk"):
        url = robot.url
        if robot.kind == "dingtalk" and robot.secret:
            ts = str(int(time.time() * 1000))  # DingTalk checks it against real time, not the site clock
            mac = hmac.new(robot.secret.encode(), f"{ts}\n{robot.secret}".encode(), hashlib.sha256).digest()
            sign = urllib.parse.quote_plus(base64.b64encode(mac).decode())
            url += ("&" if "?" in url else "?") + f"timestamp={ts}&sign={sign}"
        return url, {"msgtype": "text", "text": {"content": f"[{site}] {text}"}}
    return robot.url, {**body, "site": site, "text": text}


def delivered(resp: httpx.Response) -> bool:
    """2xx, and for WeCom/DingTalk an `errcode` of 0 (they answer 200 with an error code)."""
    if not 200 <= resp.status_code < 300:
        return False
    try:
        body = resp.json()
    except ValueError:
        return True
    return not (isinstance(body, dict) and body.get("errcode") not in (None, 0))
