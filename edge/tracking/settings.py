"""Tracking thresholds and playbooks (DESIGN.md section 5 defaults), all overridable.

`TrackingSettings.model_validate({...})` takes a partial document (e.g. a `[tracking]` table of the site
config or a policy document); unknown keys are refused with the key named. A partial document is merged
into the defaults, never replaces them: `{"playbooks": {"stalled": {"owner": "resident"}}}` changes the
owner of `stalled` only, every other kind keeps its playbook, and `{"cross_border": {"stalled_red_h": 200}}`
keeps the other cross-border clocks (not the domestic ones).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from edge.tracking.poller_settings import PollerSettings
from edge.tracking.providers.settings import ProvidersSettings

PRIORITY_CATEGORIES = ("fresh", "medicine")
KINDS = (
    "no_first_scan", "stalled", "stuck_at_node", "delivery_failed", "customs_held", "returned", "late",
    "cross_border_stale", "exception", "delivered_not_here", "source_conflict",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Clocks(_Strict):
    """Hours (or working days) before an anomaly is raised yellow, and before it turns red."""

    no_first_scan_h: float = Field(24, gt=0, description="label created, no physical scan yet")
    stalled_yellow_h: float = Field(24, gt=0, description="no new event for this long")
    stalled_red_h: float = Field(48, gt=0, description="no new event for this long: the stalled anomaly turns red")
    stuck_at_node_h: float = Field(48, gt=0, description="events keep coming from one location")
    customs_red_h: float = Field(72, gt=0, description="customs hold turns red after this long")
    late_red_h: float = Field(48, gt=0, description="past the expected date by this long: red")
    stale_working_days: int = Field(15, gt=0, description="cross-border: no update for this many working days")
    delivery_failed_red_after: int = Field(2, gt=0, description="failed attempts before red")
    delivered_not_here_h: float = Field(
        2, ge=0, description="carrier says delivered/handed to a point, no deposit or desk intake this long (0: off)")


def _cross_border() -> Clocks:
    return Clocks(no_first_scan_h=48, stalled_yellow_h=72, stalled_red_h=144, stuck_at_node_h=96)


def _priority() -> Clocks:
    return Clocks(no_first_scan_h=12, stalled_yellow_h=12, stalled_red_h=24, stuck_at_node_h=24,
                  customs_red_h=24, late_red_h=12, delivery_failed_red_after=1)


class Playbook(_Strict):
    owner: str = Field(description="who acts on this kind of anomaly: resident, front_desk, carrier, courier, staff"
                                   " or system (shown translated in the console)")
    next_action: str = Field(description="the next step the owner should take (the follow-up task's text)")
    message_zh: str = Field(description="the resident's message in Chinese: {tracking} is the waybill number,"
                                        " {where} the carrier's place if known; empty: no message")
    message_en: str = Field(description="the same message in English, for residents whose language is English")
    followup_hours: list[float] = Field(default_factory=lambda: [24.0, 72.0],
                                        description="hours after the anomaly of each follow-up; the first opens"
                                                    " the follow-up task")


def _default_playbooks() -> dict[str, Playbook]:
    P = Playbook
    return {
        "no_first_scan": P(
            owner="resident",
            next_action="ask the sender/shop to hand the parcel to the carrier or confirm it was shipped",
            message_zh="您的包裹（{tracking}）已下单但快递公司尚未揽收，建议联系卖家确认发货。",
            message_en="Your parcel ({tracking}) has a label but the carrier has not picked it up yet; "
                       "please check with the sender.",
            followup_hours=[24, 72]),
        "stalled": P(
            owner="front_desk",
            next_action="call the carrier's customer service with the tracking number and ask where it is",
            message_zh="您的包裹（{tracking}）物流信息已较长时间未更新，前台正在跟进。",
            message_en="Your parcel ({tracking}) has had no tracking update for a while; the front desk is following up.",
            followup_hours=[24, 48]),
        "stuck_at_node": P(
            owner="front_desk",
            next_action="ask the carrier why the parcel stays at the same facility (missort, backlog, hold)",
            message_zh="您的包裹（{tracking}）在同一站点停留较久，前台正在向快递公司核实。",
            message_en="Your parcel ({tracking}) has been at the same facility for a while; we are checking with the carrier.",
            followup_hours=[24, 48]),
        "delivery_failed": P(
            owner="front_desk",
            next_action="call the courier/station: give the locker address and access, book a redelivery",
            message_zh="快递员派送您的包裹（{tracking}）未成功，前台已联系快递安排再次派送到快递柜。",
            message_en="The courier could not deliver your parcel ({tracking}); the front desk is arranging redelivery to the locker.",
            followup_hours=[4, 24]),
        "customs_held": P(
            owner="resident",
            next_action="provide the documents, ID or duties customs asks for (check the carrier's notice)",
            message_zh="您的包裹（{tracking}）在海关被暂扣，可能需要补充身份证信息或缴纳税费，请查看快递公司通知。",
            message_en="Your parcel ({tracking}) is held by customs; you may need to provide ID or pay duties.",
            followup_hours=[24, 72]),
        "returned": P(
            owner="resident",
            next_action="contact the sender: ask for a resend or a refund; tell the front desk what was agreed",
            message_zh="您的包裹（{tracking}）正在退回寄件人，请联系卖家重新发货或退款。",
            message_en="Your parcel ({tracking}) is being returned to the sender; please contact them for a resend or refund.",
            followup_hours=[48, 168]),
        "late": P(
            owner="front_desk",
            next_action="check the carrier's tracking page; if nothing moves, open a ticket with the carrier",
            message_zh="您的包裹（{tracking}）已超过预计送达时间，前台正在跟进。",
            message_en="Your parcel ({tracking}) is later than expected; the front desk is following up.",
            followup_hours=[24, 72]),
        "exception": P(
            owner="front_desk",
            next_action="call the carrier: what is wrong (address, damage, loss) and what they need to fix it",
            message_zh="快递公司报告您的包裹（{tracking}）异常（地址、破损或丢失等），前台正在跟进。",
            message_en="The carrier reports a problem with your parcel ({tracking}) (address, damage or loss); "
                       "the front desk is following up.",
            followup_hours=[4, 24]),
        "cross_border_stale": P(
            owner="front_desk",
            next_action="start the lost/unclaimed parcel process: file an inquiry with the postal operator",
            message_zh="您的跨境包裹（{tracking}）已超过15个工作日无物流更新，前台将向邮政发起查询。",
            message_en="Your cross-border parcel ({tracking}) has had no update for 15 working days; "
                       "we will file an inquiry with the postal operator.",
            followup_hours=[72, 168]),
        "delivered_not_here": P(
            owner="front_desk",
            next_action="look where the carrier text says it went; call the courier; check the locker log and the "
                        "parcel room; ask the resident",
            message_zh="快递公司显示您的包裹（{tracking}）已签收或已送达，但尚未到达本小区快递柜或包裹室。{where}"
                       "前台正在向快递员核实，如您已自行取到请告知前台。",
            message_en="The carrier says your parcel ({tracking}) was delivered, but it has not reached our lockers "
                       "or parcel room. {where}The front desk is checking with the courier; if you already have it, "
                       "please tell the desk.",
            followup_hours=[2, 24]),
        "source_conflict": P(
            owner="front_desk",
            next_action="compare the carrier's own site with the other tracking sources and note which is right",
            message_zh="您的包裹（{tracking}）在不同查询渠道显示的物流状态不一致，前台正在向快递公司核实。",
            message_en="Different tracking services show different news about your parcel ({tracking}); "
                       "the front desk is checking with the carrier.",
            followup_hours=[24, 72]),
    }


class Escalation(_Strict):
    after_days: float = Field(7, gt=0, description="unresolved this long: suggest the next escalation step")
    steps: list[str] = Field(default_factory=lambda: ["carrier_complaint", "postal_complaint"],
                             description="escalation steps suggested in turn, after_days apart (carrier_complaint,"
                                         " postal_complaint; empty: never escalate)")
    postal_channel: str = Field("国家邮政局申诉网站 sswz.spb.gov.cn / 12305",
                                description="where a postal complaint is filed, shown in the escalation task")


class TrackingSettings(_Strict):
    domestic: Clocks = Field(default_factory=Clocks, description="anomaly clocks of domestic waybills")
    cross_border: Clocks = Field(default_factory=_cross_border,
                                 description="anomaly clocks of cross-border waybills (longer; keys not given keep"
                                             " these defaults)")
    priority: Clocks = Field(default_factory=_priority, description="fresh food and medicine (domestic)")
    priority_categories: list[str] = Field(default_factory=lambda: list(PRIORITY_CATEGORIES),
                                           description="parcel categories that use the priority clocks")
    playbooks: dict[str, Playbook] = Field(default_factory=_default_playbooks,
                                           description="per anomaly kind: owner, next step, resident message,"
                                                       " follow-ups; a kind given replaces only the keys it sets")
    escalation: Escalation = Field(default_factory=Escalation,
                                   description="suggested complaints for anomalies left unresolved")
    tick_seconds: float = Field(60, gt=0, description="how often the anomaly sweep runs (site clock)")
    notify_residents: bool = Field(True, description="send residents the playbook's message when an anomaly is"
                                                     " raised on their parcel")
    retention_days: int = Field(180, ge=7, description="forget finished waybills untouched this long")
    poller: PollerSettings = Field(default_factory=PollerSettings, description="direct provider polling (off)")
    providers: ProvidersSettings = Field(default_factory=ProvidersSettings,
                                         description="provider push callbacks: Kuaidi100, Kdniao, 17TRACK (off)")

    @model_validator(mode="before")
    @classmethod
    def _merge_defaults(cls, data: Any) -> Any:
        """Merge a partial document into the defaults (see the module docstring)."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for name, default in (("cross_border", _cross_border), ("priority", _priority)):
            given = out.get(name)
            if isinstance(given, dict):
                out[name] = {**default().model_dump(exclude_unset=True), **given}
        given_pb = out.get("playbooks")
        if isinstance(given_pb, dict):
            merged: dict[str, Any] = dict(_default_playbooks())
            for kind, pb in given_pb.items():
                base = merged.get(kind)
                if isinstance(pb, dict) and isinstance(base, Playbook):
                    merged[kind] = {**base.model_dump(), **pb}
                else:
                    merged[kind] = pb
            out["playbooks"] = merged
        return out

    def clocks_for(self, category: str, cross_border: bool) -> Clocks:
        if cross_border:
            return self.cross_border
        if category in self.priority_categories:
            return self.priority
        return self.domestic

    def playbook(self, kind: str) -> Playbook:
        pb = self.playbooks.get(kind)
        if pb is None:
            return Playbook(owner="front_desk", next_action="look into it", message_zh="", message_en="")
        return pb
