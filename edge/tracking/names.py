"""Names of anomaly kinds, milestones, owners and next actions in natural Chinese and English, for the
console, the robots and the dossier (never a raw code in front of staff)."""

from __future__ import annotations

KINDS: dict[str, tuple[str, str]] = {
    "no_first_scan": ("未揽收", "Not picked up yet"),
    "stalled": ("物流长时间未更新", "No tracking update"),
    "stuck_at_node": ("在同一站点滞留", "Stuck at one facility"),
    "delivery_failed": ("派送失败", "Delivery failed"),
    "customs_held": ("海关扣留", "Held by customs"),
    "returned": ("退回寄件人", "Returned to sender"),
    "late": ("超过预计到达时间", "Later than expected"),
    "cross_border_stale": ("跨境包裹长期无更新", "Cross-border parcel without updates"),
    "exception": ("快递异常", "Carrier reports a problem"),
    "delivered_not_here": ("显示已送达但未到本小区", "Delivered, but not here"),
    "source_conflict": ("各查询渠道信息不一致", "Tracking sources disagree"),
}
MILESTONES: dict[str, tuple[str, str]] = {
    "label_created": ("已下单", "Label created"), "picked_up": ("已揽收", "Picked up"),
    "in_transit": ("运输中", "In transit"), "arrived_at_hub": ("到达转运中心", "Arrived at a hub"),
    "departed_hub": ("离开转运中心", "Left a hub"), "customs_started": ("清关中", "In customs"),
    "customs_held": ("海关扣留", "Held by customs"), "customs_cleared": ("已清关", "Cleared customs"),
    "out_for_delivery": ("派送中", "Out for delivery"), "delivery_failed": ("派送失败", "Delivery failed"),
    "available_for_pickup": ("已放至代收点/快递柜", "Left at a pickup point"), "delivered": ("已签收", "Signed for"),
    "exception": ("异常", "Problem reported"), "return_started": ("退回中", "Being returned"),
    "returned": ("已退回", "Returned"), "unknown": ("无法识别", "Unclear"),
}
OWNERS: dict[str, tuple[str, str]] = {
    "front_desk": ("前台", "Front desk"), "resident": ("住户", "Resident"), "courier": ("快递员", "Courier"),
    "manager": ("物业主管", "Property manager"), "tracking": ("系统", "System"),
}
NEXT_ACTIONS: dict[str, tuple[str, str]] = {
    "no_first_scan": ("请住户联系卖家确认已发货", "Ask the resident to check with the sender that it was shipped"),
    "stalled": ("致电快递客服查询包裹位置", "Call the carrier's customer service and ask where it is"),
    "stuck_at_node": ("向快递公司核实为何在同一站点停留", "Ask the carrier why it stays at the same facility"),
    "delivery_failed": ("联系快递员或网点，告知快递柜地址，预约再次派送",
                        "Call the courier or station, give the locker address, book a redelivery"),
    "customs_held": ("请住户按快递通知补充证件或缴纳税费", "The resident provides the ID or duties customs asks for"),
    "returned": ("请住户联系卖家重发或退款", "The resident asks the sender for a resend or a refund"),
    "late": ("查看快递官网；仍无进展则向快递公司提交工单", "Check the carrier's site; open a ticket if nothing moves"),
    "exception": ("致电快递公司了解问题及处理办法", "Call the carrier: what is wrong and what they need"),
    "cross_border_stale": ("向邮政发起查询（无人认领包裹流程）", "Start the unclaimed-parcel inquiry with the postal operator"),
    "delivered_not_here": ("按快递记录的地点或签收人查找；致电快递员；查看柜机记录和包裹室；询问住户",
                           "Look where the carrier says it went; call the courier; check the lockers and the parcel "
                           "room; ask the resident"),
    "source_conflict": ("对照快递官网与其他查询渠道，记下哪个正确",
                        "Compare the carrier's own site with the other sources; note which is right"),
}
CHANNELS: dict[str, tuple[str, str]] = {
    "phone": ("电话", "Phone"), "online_chat": ("在线客服", "Online chat"), "social_media": ("社交媒体", "Social media"),
    "sender": ("寄件人/卖家", "Sender"), "carrier_complaint": ("快递公司投诉", "Complaint to the carrier"),
    "postal_complaint": ("邮政管理局申诉", "Complaint to the postal authority"),
}
SOURCES: dict[str, tuple[str, str]] = {
    "kuaidi100": ("快递100", "Kuaidi100"), "kdniao": ("快递鸟", "Kdniao"), "17track": ("17TRACK", "17TRACK"),
    "mqtt": ("总部推送", "HQ"), "site": ("本站", "This site"), "aftership": ("AfterShip", "AfterShip"),
}
CONFIDENCE: dict[str, tuple[str, str]] = {"high": ("把握较大", "likely"), "medium": ("把握一般", "fair confidence"),
                                          "low": ("仅供参考", "a rough guess")}
PLACE_KINDS: dict[str, tuple[str, str]] = {
    "station": ("驿站/代收点", "Pickup station"), "locker": ("快递柜", "Parcel locker"),
    "point": ("代收点", "Pickup point"), "signer": ("签收人", "Signed by"),
}


def label(table: dict[str, tuple[str, str]], key: str | None, lang: str) -> str:
    """The natural name of `key` in `lang` ('zh...' or 'en'); an unknown key reads as itself, tidied."""
    if not key:
        return ""
    pair = table.get(key)
    if pair is None:
        return key.replace("_", " ")
    return pair[0] if lang.lower().startswith("zh") else pair[1]
