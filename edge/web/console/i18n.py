"""Console strings: English keys, Chinese by default (`zh`), English with the switch (`en`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from edge import hant

LANG_COOKIE = "lockerd_lang"
LANGS = ("zh", "en")
#: 繁體中文 (Hong Kong): a zh page converted at output, not a catalogue of its own (ADR 0050)
HK_CODE = "zh-HK"

ZH: dict[str, str] = {
    "Staff console": "员工控制台", "Log in": "登录", "Log out": "退出", "User name": "用户名", "Password": "密码",
    "Dashboard": "总览", "Wallboard": "大屏", "Parcels": "包裹", "Compartments": "格口", "Desk": "包裹室前台",
    "Expected": "预登记", "Anomalies": "异常", "Tasks": "待办与处置", "Carriers": "快递公司报表", "Audit": "审计日志",
    "Users": "用户", "Settings": "设置", "free": "空闲", "reserved": "预留", "occupied": "占用", "open": "开门",
    "fault": "故障", "disabled": "停用", "closed": "关闭", "unknown": "未知", "Counts": "统计",
    "Alarms": "告警", "No alarms": "无告警", "Cloud": "云端", "connected": "已连接", "offline": "离线",
    "Outbox": "待发送事件", "not available": "不可用", "not set up": "未配置", "as soon as possible": "尽快处理",
    "No HQ is configured: every record stays on this locker, nothing is waiting to be sent.": "未连接总部：所有记录都保存在本机，没有待发送的内容。", "Parcel grades": "包裹状态分级", "normal": "正常",
    "delayed": "延误", "stuck": "滞留", "Tracking number": "运单号", "Unit": "房号", "Carrier": "快递公司",
    "State": "状态", "Stage": "阶段", "Anomaly": "异常", "Age (days) at least": "存放天数不少于", "Search": "搜索",
    "Location": "位置", "Stored": "入柜时间", "Category": "类别", "Actions": "操作", "Timeline": "时间线",
    "Reason": "原因", "Open door": "远程开门", "Reissue code": "重发取件码", "Hold until": "保留至",
    "Hold": "保留", "Move to parcel room": "移至包裹室", "Mark returned": "标记已退回", "Mark disposed": "标记已处置",
    "Add follow-up": "添加跟进", "Channel": "渠道", "Contact": "联系人", "What was said": "沟通内容",
    "Ticket": "工单号", "Next follow-up": "下次跟进", "Disable": "停用", "Enable": "启用", "Clear fault": "清除故障",
    # a door retired from the config while a parcel is still in it (the grid and the compartments page)
    "retired": "已拆除", "Hand over or move to the parcel room": "请交付或移至包裹室",
    "This door was taken out of the config with a parcel still inside; nothing opens it from here. Take the parcel"
    " out by hand, then hand it over to the resident or move it to the parcel room, on the parcel's page.":
    "这个格口已从配置中拆除，里面还有包裹，系统打不开它。请用钥匙取出包裹，然后在包裹页当面交付给住户，或移至包裹室。",
    "Door": "门", "Size": "尺寸", "Intake": "入库", "Shelf slot": "货架位", "Phone tail": "手机尾号",
    "Handover": "交付", "Pickup code": "取件码", "Hand over": "交付", "Lost code: unit and phone tail": "忘记取件码：房号+手机尾号",
    "Scan or type the tracking number, then Enter": "扫描或输入运单号后回车", "Add": "添加", "Import CSV": "导入 CSV",
    "Upload": "上传", "Kind": "类型", "Severity": "严重程度", "Owner": "负责人", "Next action": "下一步",
    "Raised": "发现时间", "Follow-ups": "跟进记录", "Escalation due": "需升级", "Due": "到期", "Title": "标题",
    "Done": "完成", "Print notice": "打印公告", "Public notice": "招领公告", "Export CSV": "导出 CSV",
    "Time": "时间", "Actor": "操作人", "Action": "动作", "Target": "对象", "Detail": "详情", "Role": "角色",
    "Active": "启用", "Last login": "最近登录", "Add user": "添加用户", "Change password": "修改密码",
    "Policy": "存放规则", "Save": "保存", "Version": "版本", "yes": "是", "no": "否", "Back": "返回",
    "Saved": "已保存", "Door open command sent": "已发送开门指令", "not found": "未找到", "Recent events": "最近事件",
    "The component is not installed or not running.": "该组件未安装或未运行。", "Total": "合计",
    "Parcels stored": "在存包裹", "Doors open": "开着的门", "Faults": "故障", "Open tasks": "待办",
    "Wrong user name or password": "用户名或密码错误", "Too many failed logins; try again later": "登录失败次数过多，请稍后再试",
    "Period (days)": "周期（天）", "Collected": "已取件", "In storage": "仍在存放", "Returned or disposed": "退回或处置", "Overdue": "超期", "Avg storage (h)": "平均存放（小时）",
    "Exception rate": "异常率", "On-time rate": "准时率", "First-scan rate": "首扫率", "Avg delay (days)": "平均延误（天）",
    "Last-mile failure": "末端失败率", "Problem carriers": "问题快递公司", "Since": "起始", "Language": "语言",
    "expected": "预登记", "depositing": "投递中", "stored": "在存", "collected": "已取", "returned": "已退回",
    "disposed": "已处置", "cancelled": "已取消", "fresh": "生鲜", "medicine": "药品", "valuable": "贵重",
    "oversize": "超大件", "Expected by": "预计到达", "Cross-border": "跨境", "All": "全部", "Open": "开",
    "Sent": "已完成", "Reissued: the resident has been sent a new code": "已重发：新取件码已发送给住户",
    "Handed over": "已交付", "Parcel {n} is on shelf {s}; the resident keeps their pickup code": "包裹 {n} 已放上 {s} 号货架，住户的取件码不变",
    "Parcel {n} is on shelf {s}; the resident's pickup code is queued to be sent (see Messages)":
        "包裹 {n} 已放上 {s} 号货架，取件码已排队发送给住户（见“住户通知”）",
    "Parcels for this unit": "该房号的包裹", "Expected parcels": "预登记包裹", "Import": "导入",
    "CSV columns: tracking_number, unit, carrier, phone_tail, category, expected_by": "CSV 列：运单号、房号、快递公司、手机尾号、类别、预计到达",
    "Overdue and disposal queue": "超期与处置队列", "Unclaimed parcels": "无人认领包裹",
    "The following parcels have not been collected. Please collect them within the notice period.":
        "以下包裹长期无人领取，请在公告期内领取，逾期将按规定处置。",
    "Login required": "需要登录", "Disposal": "处置", "Notice": "公告", "Storage": "存放", "Tracking": "物流轨迹",
    "Mark done": "标记完成", "Compartment": "格口", "Storage events and tracking milestones": "存放记录与物流节点",
    "Green: normal, yellow: delayed, red: stuck": "绿：正常，黄：延误，红：滞留", "Page": "页",
    "Next": "下一页", "Previous": "上一页",
    "Validated and versioned; an older version is refused.": "保存前校验，带版本号；旧版本会被拒绝。",
    "Code lost: reason": "丢失取件码：原因", "Refresh": "刷新", "Updated": "更新于", "Staff": "员工", "Admin": "管理员", "On the shelves": "在架包裹",
    "reminded": "已提醒", "overdue": "超期", "noticed": "公告中", "disposal_due": "待处置",
    "move_to_parcel_room": "移至包裹室", "dispose": "处置", "notice": "公告", "tracking_followup": "物流跟进",
    "tracking_escalation": "升级投诉", "door_check": "检查柜门", "No anomalies": "无异常", "Oldest unsent": "最早未发送", "Resolve": "标记解决", "Source": "来源",
    # issue 18 (fix39): the tasks page's assignee box shows who is assigned, nobody's name when nobody is
    "Not assigned": "未分配", "Leave empty to take it yourself": "留空则由你负责",
    # issue 18: door opening, tasks, notice, settings, phone layout
    "Act": "去处理", "Assign": "分配", "Assigned to": "负责人", "Cancel": "取消", "Collect at": "领取地点", "Desk phone": "联系电话",
    "Fault": "故障", "From": "从",
    "; the door has opened and closed normally since ({when}): check the lock, then clear the fault":
        "；之后柜门已正常开关过（{when}）：检查门锁后清除故障",
    "How": "方式", "Lock board not answering": "锁控板无响应", "Menu": "菜单", "Nothing to do": "没有待办",
    "Open door for the resident": "为住户远程开门", "Opening hours": "开放时间", "Past due": "已过期", "Phone": "电话",
    "Result": "结果", "Returned": "退回", "Staff note": "员工备注", "Taken out and handed over": "已取出并当面交付",
    "Task": "待办", "To": "到", "Unknown carrier": "未知快递公司", "past due": "已过期",
    "Someone must be at the locker. The opening is recorded with your name and reason.":
        "请确认有人在柜前。这次开门会记录您的名字和原因。",
    "The door of {c} opens for the resident of {u}; the parcel counts as collected once the door has opened and closed again.":
        "{c} 号柜门将为 {u} 的住户打开，柜门打开并关上后，包裹记为已取件。",
    "Opening door {c} for the resident: the parcel counts as collected once the door has opened and closed again":
        "正在为住户打开 {c} 号柜门：柜门打开并关上后，包裹记为已取件",
    "The door of {c} will open now.": "{c} 号柜门将立即打开。",
    "{c} holds parcel {n} for {u}. Opened from here it still counts as in the locker; to give it to the resident, open the door from the parcel.":
        "{c} 号格口里有 {u} 的包裹 {n}。在这里开门，包裹仍记为在柜；要交给住户，请从包裹打开柜门。",
    "Open for the resident of {u} ({n})": "为 {u} 的住户开门取件（{n}）",
    "The door of {c} will open so that parcel {n} can be taken to shelf {s} of the parcel room.":
        "{c} 号柜门将打开，请取出包裹 {n}，放到包裹室 {s} 号货架。",
    "The door of {c} will open so that parcel {n} can be taken out: {how}.": "{c} 号柜门将打开，请取出包裹 {n}：{how}。",
    "This parcel has left; nothing more to do.": "这件包裹已经离开，无需再操作。",
    "Not here yet (pre-registered): its actions appear when it arrives. If tracking shows a problem, add a follow-up below.":
        "包裹还没到本站（预登记）：到站后这里会出现可做的操作；物流有问题时，请在下方添加跟进。",
    "Yes, open door {c}": "确认打开 {c} 号柜门",
    "No file chosen": "没有选择文件", "The file is too large (1 MB at most)": "文件太大（最多 1 MB）",
    "The file is not UTF-8 or GB18030 text": "文件不是 UTF-8 或 GB18030 编码的文本",
    "The first line must name the columns (tracking_number, unit, ...)": "第一行必须是列名（tracking_number、unit……）",
    "only the first {n} rows were read": "只读取了前 {n} 行", "line {n}": "第 {n} 行",
    "Import: {ok} ok": "导入：成功 {ok} 条", "; {n} refused: ": "；{n} 条被拒绝：",
    "Kiosk": "柜机",
    # flash messages that say what happened (not just "Saved")
    "Door {c} disabled": "已暂停 {c} 号柜门", "Door {c} enabled again": "已恢复 {c} 号柜门",
    "Fault of door {c} cleared": "已清除 {c} 号柜门的故障",
    "Parcel {n} held until {until}": "包裹 {n} 已保留至 {until}",
    "Parcel {n} moved to the parcel room, shelf {s}": "包裹 {n} 已移到包裹室 {s} 号货架",
    "Parcel {n} marked as returned to the sender": "包裹 {n} 已记为退回寄件人",
    "Parcel {n} marked as disposed of": "包裹 {n} 已记为已处置",
    "Opening door {c}: parcel {n} is recorded on shelf {s} of the parcel room once the door has opened":
        "正在打开 {c} 号柜门：柜门打开后，包裹 {n} 记为已移到包裹室 {s} 号货架",
    "Opening door {c}: parcel {n} is recorded as disposed of ({how}) once the door has opened":
        "正在打开 {c} 号柜门：柜门打开后，包裹 {n} 记为已处置（{how}）",
    "Follow-up with the carrier recorded": "已记录与快递公司的跟进",
    "Courier {c} can log in again": "已恢复快递员 {c} 的登录", "Courier {c} can no longer log in": "已停用快递员 {c} 的登录",
    "No parcel was stored in the last {n} days.": "最近 {n} 天没有存入的包裹。",
    "No tracking events in this period.": "这段时间没有物流轨迹。",
    "Disposed of": "处置方式", "Disposed by": "处置人", "Disposed at": "处置时间", "Note": "备注",
    "Door {c} opening to dispose of it": "{c} 号柜门正在打开，开门后记为已处置",
    "Door {c} opening to move it to the parcel room": "{c} 号柜门正在打开，开门后记为已移到包裹室",
    "The door is opening; this page shows the result when the door has answered.": "柜门正在打开；柜门有了结果后，本页会显示。",
    "Taken back by the courier: mark returned": "快递员已取回 · 标记已退回",
    "Left at": "离开时间", "No parcels on the shelves": "货架上没有包裹", "No parcels are on notice": "目前没有公告中的包裹",
    "No parcels are expected": "没有预登记的包裹", "Task marked done": "已完成此待办", "Task assigned to {who}": "此待办已交给 {who}",
    # form fields in the console's words, whatever the browser's language (dates.py, console.js)
    "YYYY-MM-DD": "年-月-日", "Choose file": "选择文件",
    "Please fill in this field": "请填写此项", "Please choose a file": "请选择文件",
    "Write the date with the year first, like 2026-12-09": "日期请按 年-月-日 填写，例如 2026-12-09",
    "Please enter a number": "请填写数字", "At least {n}": "不能小于 {n}", "At most {n}": "不能大于 {n}",
    "Please enter a whole number": "请填写整数", "Please write it as the field asks": "格式不对，请按提示填写",
    "Numbers separated by commas, like 24, 48": "请填数字，用逗号分开，例如 24, 48", "4 to 16 digits": "4-16 位数字",
    "Letters, digits and -, like A-03": "字母、数字和 -，例如 A-03",
    "The last 4 digits of the phone number": "手机号的后 4 位数字", "Too long: at most {n} characters": "太长了：最多 {n} 个字",
    "This site has no staff administrator yet. Create the first one on the locker's computer:":
        "本站点还没有员工管理员账号。请在快递柜主机上创建第一个：",
    "Door {c} did not open for the resident: take the parcel out (remote open below, or the key), then press “Taken out and handed over”":
        "{c} 号柜门没有为住户打开：请取出包裹（可用下面的远程开门，或用钥匙），然后点“已取出并当面交付”",
    "This parcel is in door {c}: open it for the resident below, or the resident enters the code at the kiosk":
        "这件包裹在 {c} 号柜门里：可在下面为住户远程开门，或请住户在柜机上输入取件码",
}


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda key: key
    return lambda key: ZH.get(key, key)


def wants_hk(request: Any) -> bool:
    """The staff member chose 繁體 (`?lang=zh-HK`, or its cookie without another choice in the query) at a site that
    offers zh-HK: the page is the zh one converted (docs/decisions/0050-zh-hk-by-conversion.md)."""
    # edge.hant's tags: ?lang=zh-TW, zh-Hant or zh-MO is 繁體 too (one list of them, with the link page's)
    raw = hant.norm(request.query_params.get("lang"), "") or hant.norm(request.cookies.get(LANG_COOKIE), "")
    return raw == HK_CODE and HK_CODE in request.app.state.daemon.config.site.language_list()


def lang_choices(site_langs: list[str], current: str) -> list[tuple[str, str, bool]]:
    """The language switch: (query code, label, on) in the site's order; 简体 beside 繁體 when both are offered."""
    both = HK_CODE in site_langs and "zh-CN" in site_langs
    names = {"zh-CN": ("zh", "简体" if both else "中文"), "en": ("en", "EN"), HK_CODE: (HK_CODE, "繁體")}
    return [(names[x][0], names[x][1], names[x][0] == current) for x in site_langs if x in names]


def pick_lang(query_lang: str | None, cookie_lang: str | None, default: str = "zh") -> str:
    for cand in (query_lang, cookie_lang):
        if cand in LANGS:
            return cand  # type: ignore[return-value]
    return default

ZH.update({
    "This page cannot be shown": "无法打开这一页",
    "Only an admin can open this page. Ask an admin if you need it.": "这一页只有管理员可以打开，需要时请找管理员。",
    "There is no such page. Choose one from the menu.": "没有这一页，请从菜单中选择。",
})

# the tracking desk pages keep their strings in their own file (merged, keys never overlap in meaning)
from edge.web.console.i18n_tracking import TRACKING_ZH  # noqa: E402

ZH.update({k: v for k, v in TRACKING_ZH.items() if k not in ZH})
ZH.setdefault("Safety locks", "安全锁定")  # the nav entry of routes_locks (its other strings live there)
ZH.setdefault("{tn}: marked resolved ({kind})", "{tn}：已标记解决（{kind}）")  # /anomalies/resolve's flash
ZH.setdefault("Texts to label", "待标注描述")  # the nav entry of routes_tracking_labels (its strings live there)

# the reconcile page after a restore (routes_reconcile, ADR 0057)
ZH.update({k: v for k, v in {
    "Doors to check after a restore": "恢复备份后待检查的格口",
    "This locker was restored from a backup. The doors below were empty in the backup, but the unit it replaced may"
    " have put parcels in them afterwards, so no deposit is given them until they are checked. Walk the locker and"
    " look through each door; if you cannot see inside, open it to look (you will be asked to confirm).":
    "本柜已从备份恢复。下面的格口在备份里是空的，但换下的设备在备份之后可能往里面放了包裹，所以检查之前不会分配给投递。"
    "请到柜前逐个查看；看不到里面的，可以远程开门查看（需要再次确认）。",
    "Bank": "柜组", "{n} door(s) to check": "{n} 个格口待检查",
    "I walked this bank: every door listed is empty": "已巡查这一组：列出的格口全部是空的",
    "not checked": "未检查", "Empty": "是空的", "Holds a parcel": "里面有包裹",
    "Waybill, if readable": "运单号（能看清时填写）", "Unit, if known": "房号（知道时填写）",
    "Open to look inside": "开门查看",
    "Every door has been checked: deposits may use all free doors.": "所有格口都已检查，投递可以使用全部空闲格口。",
    "{door} is empty: deposits may use it again": "{door} 是空的：可以再分配给投递",
    "Parcel in {door} recorded for the desk; the door stays out of use": "{door} 里的包裹已记录，交前台处理；格口暂停使用",
    "Bank {bank}: {n} door(s) confirmed empty": "柜组 {bank}：已确认 {n} 个格口是空的",
    "Parcel found after a restore: take it to the desk, then enable the door": "恢复后发现的包裹：请送到前台，然后启用格口",
    "{n} door(s) are still to be checked after the restore; deposits do not use them until then.":
    "恢复备份后还有 {n} 个格口待检查，检查前不会分配给投递。",
    "Check them": "去检查",
}.items() if k not in ZH})
