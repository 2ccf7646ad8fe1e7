"""Console strings of the tracking desk pages (in-transit board, ETA, complaint dossier, desk alerts):
English keys, Chinese values; merged into the console glossary (i18n.ZH)."""

from __future__ import annotations

TRACKING_ZH: dict[str, str] = {
    "In transit": "在途包裹", "In-transit board": "在途包裹看板", "Act now": "需立即处理", "Watch": "需关注",
    "On its way": "正常在途", "Last scan": "最近扫描", "Where": "地点", "ago": "前", "ETA": "物流预计送达",
    "No estimate yet": "暂无预计", "Next step": "下一步", "Owner": "负责人", "Nothing to do; wait for the next scan":
    "无需处理，等待下一次扫描", "No tracking yet": "尚无物流信息", "Dossier": "投诉材料",
    "Complaint dossier": "投诉材料包", "Download ZIP (JSON)": "下载 ZIP（JSON）", "Print": "打印",
    "Parcel": "包裹", "Recipient unit": "收件房号", "Tracking timeline": "物流轨迹", "Follow-up log": "跟进记录",
    "Door and deposit records": "柜门与入柜记录", "Anomaly history": "异常记录", "Complaint filed": "已提交投诉",
    "Record a complaint filed": "登记已提交的投诉", "Reference": "投诉编号", "Where filed": "投诉渠道",
    "carrier_complaint": "快递公司投诉", "postal_complaint": "邮政管理局申诉（12305 / sswz.spb.gov.cn）",
    "Escalation clock": "升级时限", "No complaint filed yet.": "尚未提交投诉。",
    "If unresolved by {due}, escalate to the postal authority's complaint channel.":
        "如到 {due} 仍未解决，请向邮政管理部门申诉。",
    "If unresolved by {due}, escalate.": "如到 {due} 仍未解决，请升级处理。",
    "days left": "天剩余", "overdue by": "已超出", "days": "天", "hours": "小时", "minutes": "分钟",
    "Complaint recorded": "投诉已登记", "Carrier says it went to": "快递记录的去向",
    "Sources disagree": "查询渠道信息不一致", "Source": "来源", "confidence": "可信度",
    "Prepared": "生成时间", "Site": "站点", "Raised": "发现时间", "Cleared": "解除时间", "Still open": "尚未解除",
    "Opened by": "开门人", "Door": "柜门", "What": "事项", "By": "操作人", "Nothing recorded yet": "暂无记录",
    "Desk alerts": "前台提醒", "Sent to the group robots": "已发送到工作群", "Not sent yet": "尚未发送",
    "Could not be sent": "发送失败", "Shown here only (no robot configured)": "仅在此显示（未配置工作群机器人）",
    "Compartment or parcel": "格口或包裹", "Expected arrival": "预计到达",
    "Ticket": "工单号", "Said": "沟通内容", "Next follow-up": "下次跟进", "Channel": "渠道",
    "phone": "电话", "online_chat": "在线客服", "social_media": "社交媒体", "sender": "寄件人/卖家",
    "Time": "时间", "Milestone": "节点", "Text": "快递原文", "Kind": "类型", "Severity": "严重程度",
    "red": "红", "yellow": "黄", "green": "绿", "Carrier": "快递公司", "Category": "类别",
    "Stalest first within each grade; fresh food and medicine first.": "同一等级中生鲜、药品优先，其次是最久未更新的。",
    "Refresh": "刷新", "Everything that was due has arrived.": "没有在途包裹。",
    "Tracking sources": "物流信息来源", "Events": "事件数", "90% within (h)": "九成在（小时）内", "Assign": "指派", "Owner named": "已指定负责人", "False delivery": "虚假签收率", "Scan to received (h)": "扫描到收到（小时）", "kuaidi100": "快递100", "kdniao": "快递鸟", "17track": "17TRACK", "mqtt": "总部推送", "site": "本站",
}
