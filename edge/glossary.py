"""The one glossary of lockerd's words, in Chinese and English, shared by the staff console and the kiosk.

Every code the software stores or sends (event and audit actions, task kinds, anomaly kinds, severities,
follow-up channels, disposal options, owners, milestones, parcel-log entries, carriers) has one entry
here, so a person never reads ``door.jammed`` or ``front_desk``. The kiosk gets the same table as a
JavaScript module (``/kiosk/glossary.js``, built from :func:`as_js`).

    from edge.glossary import label
    label("task", "pickup_failed", "zh")   # -> "柜门没有为住户打开：请把包裹交给住户"

One word for the parcel room: 包裹室 (as in the residents' messages).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

PARCEL_ROOM_ZH = "包裹室"
DESK_ZH = "包裹室前台"

#: group -> code -> (zh, en)
TERMS: dict[str, dict[str, tuple[str, str]]] = {
    "place": {
        "parcel_room": (PARCEL_ROOM_ZH, "parcel room"),
        "desk": (DESK_ZH, "parcel-room desk"),
        "locker": ("快递柜", "locker"),
        "shelf": ("货架", "shelf"),
    },
    "state": {
        "free": ("空闲", "free"), "reserved": ("预留", "reserved"), "occupied": ("占用", "occupied"),
        "open": ("开着", "open"), "fault": ("故障", "fault"), "disabled": ("停用", "disabled"),
        "closed": ("关好", "closed"), "unknown": ("未知", "unknown"),
        "expected": ("预登记", "expected"), "depositing": ("投递中", "depositing"), "stored": ("在存", "stored"),
        "collected": ("已取件", "collected"), "returned": ("已退回", "returned"), "disposed": ("已处置", "disposed"),
        "cancelled": ("已取消", "cancelled"), "failed": ("失败", "failed"),
        "done": ("已完成", "done"),
    },
    "stage": {
        "reminded": ("已提醒", "reminded"), "overdue": ("超期", "overdue"), "noticed": ("公告中", "on notice"),
        "disposal_due": ("待处置", "disposal due"),
    },
    "category": {
        "normal": ("普通", "normal"), "fresh": ("生鲜", "fresh"), "medicine": ("药品", "medicine"),
        "valuable": ("贵重", "valuable"), "oversize": ("超大件", "oversize"),
    },
    "severity": {
        "red": ("严重", "serious"), "yellow": ("注意", "warning"), "green": ("正常", "normal"),
        "any": ("任何异常", "any anomaly"),
    },
    "task": {
        "pickup_failed": ("柜门没有为住户打开：请把包裹交给住户", "The door did not open for the resident: hand the parcel over"),
        "door_jammed": ("柜门没有打开：请检查门锁", "A door did not open: check the lock"),
        "removal_failed": ("柜门没有打开，包裹仍在柜内：请检查门锁后重新移至包裹室或处置",
                           "The door did not open; the parcel is still in the locker: check the lock, then move or dispose of it again"),
        "check_compartment": ("检查格口", "Check the compartment"),
        "found_parcel": ("恢复备份后在格口里发现的包裹：请取出，核对运单号和房号后在前台入库，再启用格口",
                         "A parcel found in a door after a restore: take it out, check its waybill and unit, book it in at the desk, then enable the door"),
        # a door command a restart (power cut) left without an outcome (edge/services/door_boot.py)
        "restart_unknown": ("快递柜重启，柜门指令的结果没有记录下来：请打开柜门查看；包裹已被取走的，在包裹页标记“已取出并当面交付”",
                            "The locker restarted before a door command's outcome was recorded: look in the door; if the parcel is gone, mark it taken out and handed over on its page"),
        "door_check": ("检查柜门", "Check the door"),
        "move_to_parcel_room": ("移至" + PARCEL_ROOM_ZH, "Move to the parcel room"),
        "dispose": ("处置", "Dispose"), "disposal_due": ("到期待处置", "Due for disposal"),
        "notice": ("张贴招领公告", "Post the public notice"),
        "tracking_followup": ("物流跟进", "Tracking follow-up"),
        "tracking_escalation": ("升级投诉", "Escalate the complaint"),
        "deposit_interrupted": ("投递中断：检查格口", "Interrupted deposit: check the compartment"),
        # the kinds the services write (edge/services/door_boot.py, deposits.py, refusals.py): the Chinese
        # task list showed a bare "待办" for each
        "interrupted_deposit": ("投递被重启打断：请打开柜门，确认包裹在不在柜内", "A deposit was interrupted by a restart: open the door and confirm stored or empty"),
        "cancel_failed": ("取消投递时柜门没有打开：包裹仍在柜内", "A cancelled deposit's door did not open: the parcel is still inside"),
        "resident_refused": ("住户拒收：请联系快递公司或安排退回", "Refused by the resident: contact the carrier or arrange the return"),
        "left_open": ("柜门未关：请关好", "Door left open: close it"),
        # a message for a former resident whose contact is gone (edge/services/former.py)
        "former_resident": ("原住户的包裹：这户已换了住户，提醒没有发给现在的住户，请联系原住户来取",
                            "A former resident's parcel: the unit has a new resident, so its messages were not sent"
                            " to them; call the former resident to collect it"),
    },
    "anomaly": {
        "no_first_scan": ("快递公司未揽收", "not picked up by the carrier"),
        "stalled": ("物流长时间未更新", "no tracking update"),
        "stuck_at_node": ("在同一站点停留过久", "stuck at one facility"),
        "delivery_failed": ("派送失败", "delivery failed"),
        "customs_held": ("海关暂扣", "held by customs"),
        "returned": ("退回寄件人", "returned to sender"),
        "late": ("超过预计送达时间", "later than expected"),
        "exception": ("快递公司报告异常", "carrier reports a problem"),
        "cross_border_stale": ("跨境包裹长期无更新", "cross-border parcel without update"),
        # the desk's kinds (edge/tracking/sources.py, service.py): the anomalies page read 其他 for them
        "delivered_not_here": ("显示已送达但未到本小区", "delivered, but not here"),
        "source_conflict": ("各查询渠道信息不一致", "tracking sources disagree"),
    },
    "next_action": {
        "no_first_scan": ("请住户联系卖家确认已发货", "ask the sender/shop to hand the parcel to the carrier or confirm it was shipped"),
        "stalled": ("打电话给快递公司客服，报运单号询问包裹位置", "call the carrier's customer service with the tracking number and ask where it is"),
        "stuck_at_node": ("向快递公司核实包裹为何停在同一站点（分错、积压、扣留）", "ask the carrier why the parcel stays at the same facility (missort, backlog, hold)"),
        "delivery_failed": ("联系快递员或站点：告知快递柜地址和门禁，预约再次派送", "call the courier/station: give the locker address and access, book a redelivery"),
        "customs_held": ("请住户按快递公司通知向海关补充资料、身份证或税费", "provide the documents, ID or duties customs asks for (check the carrier's notice)"),
        "returned": ("请住户联系寄件人重发或退款，并告知前台结果", "contact the sender: ask for a resend or a refund; tell the front desk what was agreed"),
        "late": ("查看快递公司物流页面；仍无进展就向快递公司提交工单", "check the carrier's tracking page; if nothing moves, open a ticket with the carrier"),
        "exception": ("打电话给快递公司：问清问题（地址、破损、丢失）和处理办法", "call the carrier: what is wrong (address, damage, loss) and what they need to fix it"),
        "cross_border_stale": ("启动丢失/无人认领流程：向邮政提交查询", "start the lost/unclaimed parcel process: file an inquiry with the postal operator"),
        # English as the playbooks' defaults (edge/tracking/settings.py), so a default reads in Chinese
        "delivered_not_here": ("按快递记录的地点或签收人查找；致电快递员；查看柜机记录和包裹室；询问住户",
                               "look where the carrier text says it went; call the courier; check the locker log and the parcel room; ask the resident"),
        "source_conflict": ("对照快递官网与其他查询渠道，记下哪个正确",
                            "compare the carrier's own site with the other tracking sources and note which is right"),
    },
    "owner": {
        "resident": ("住户", "resident"), "front_desk": ("前台", "front desk"), "carrier": ("快递公司", "carrier"),
        "courier": ("快递员", "courier"), "system": ("系统", "system"), "staff": ("员工", "staff"),
        # an HQ operator's action (actor hq:<operator>, docs/mqtt.md): the parcel timeline read 系统 for it
        # (trial 2026-12-07b, a parcel HQ pre-registered)
        "hq": ("总部", "HQ"),
    },
    "channel": {
        "phone": ("电话", "phone"), "online_chat": ("在线客服", "online chat"), "social_media": ("社交媒体", "social media"),
        "sender": ("联系寄件人", "the sender"), "carrier_complaint": ("向快递公司投诉", "complaint to the carrier"),
        "postal_complaint": ("向邮政管理局申诉", "complaint to the postal regulator"),
    },
    "disposal": {
        "return_to_sender": ("退回寄件人", "return to sender"), "hand_over": ("移交处理", "hand over for disposal"),
        "parcel_room": ("移至" + PARCEL_ROOM_ZH, "keep in the parcel room"),
    },
    "role": {"admin": ("管理员", "admin"), "staff": ("员工", "staff")},
    "source": {
        "console": ("控制台录入", "console"), "console_csv": ("控制台导入", "console import"), "courier": ("快递员投递", "courier"),
        "api": ("接口", "API"), "hq": ("总部", "HQ"), "desk": ("前台", "desk"), "cloud": ("总部", "HQ"),
        "tracking": ("物流查询", "tracking"), "import": ("导入", "import"),
        # the other sources services.parcels.expect records (its default, the CLI's, MQTT's, the demo's)
        "staff": ("员工录入", "staff"), "cli_csv": ("命令行导入", "command-line import"), "csv": ("CSV 导入", "CSV import"),
        "mqtt": ("总部推送", "HQ"), "demo": ("演示数据", "demo data"),
    },
    "milestone": {
        "label_created": ("已下单", "label created"), "picked_up": ("已揽收", "picked up"),
        "in_transit": ("运输中", "in transit"), "arrived_at_hub": ("到达转运中心", "arrived at hub"),
        "departed_hub": ("离开转运中心", "left the hub"), "customs_started": ("清关中", "in customs"),
        "customs_held": ("海关暂扣", "held by customs"), "customs_cleared": ("已清关", "cleared customs"),
        "out_for_delivery": ("派送中", "out for delivery"), "delivery_failed": ("派送失败", "delivery failed"),
        "available_for_pickup": ("待取件", "ready for pickup"), "delivered": ("已签收", "delivered"),
        "exception": ("异常", "exception"), "return_started": ("退回中", "being returned"),
        "returned": ("已退回", "returned"),
        # a carrier text the classifier could not read: it waits in the labelling queue (/tracking/labels); the
        # parcel timeline read 其他 / other beside it, as if it were a kind of step (trial 2026-12-04b)
        "unknown": ("未识别（待标注）", "not recognised (to label)"),
    },
    # what happened: event kinds, audit actions and parcel-log entries share this group
    "event": {
        "door.open": ("开门", "door opened by command"), "door.opened": ("柜门已打开", "door opened"),
        "door.jammed": ("柜门卡住未打开", "door jammed"), "door.left_open": ("柜门未关", "door left open"),
        "door.forced_open": ("柜门被强行打开", "door forced open"), "door.command_unknown": ("开门结果不明", "door result unknown"),
        "door.closed": ("柜门已关好", "door closed"),
        "compartment.fault": ("格口故障", "compartment fault"), "compartment.disable": ("停用格口", "compartment disabled"),
        "compartment.disabled": ("格口已停用", "compartment disabled"), "compartment.enable": ("启用格口", "compartment enabled"),
        "compartment.enabled": ("格口已启用", "compartment enabled"), "compartment.clear_fault": ("清除故障", "fault cleared"),
        # a restore's unconfirmed doors, checked on the reconcile page (edge/services/restore_doors.py)
        "compartment.confirm_empty": ("恢复后确认格口是空的", "checked empty after a restore"),
        "compartment.confirmed_empty": ("恢复后确认格口是空的", "checked empty after a restore"),
        "compartment.confirm_bank_empty": ("恢复后巡查确认整排格口是空的", "whole bank checked empty after a restore"),
        "compartment.bank_confirmed_empty": ("恢复后巡查确认整排格口是空的", "whole bank checked empty after a restore"),
        "compartment.found_parcel": ("恢复后在格口里发现包裹，交前台处理", "parcel found in a door after a restore, for the desk"),
        "security.code_lockout": ("取件码输错次数过多，已锁定", "pickup code lockout"),
        "notify.message": ("住户消息交总部发送", "resident's message handed to HQ to send"),
        "security.courier_lockout": ("快递员码输错次数过多，已锁定", "courier code lockout"),
        "security.lock_cleared": ("员工解除锁定", "lock cleared by staff"),
        "clock.hold_released": ("员工恢复存放规则", "rules hold released by staff"),
        "clock.step": ("柜机时钟跳变", "locker clock jumped"),
        "staff.remote_open": ("员工远程开门", "remote open by staff"),
        # a staff label for a carrier wording (issue 15): HQ's site page read 其他 / "tracking: label added"
        # (trial 2026-12-07b)
        "tracking.label_added": ("员工标注了物流描述", "carrier wording labelled by staff"),
        # staff teach it (ADR 0056): a queue row set aside as "can't tell", its undo, and a label taken back
        "tracking.cannot_tell": ("员工标记物流描述为看不出", "staff could not tell a carrier wording"),
        "tracking.cannot_tell_undone": ("员工撤销了“看不出”", "staff undid \u201ccan't tell\u201d"),
        "tracking.label_removed": ("员工撤销了物流描述的标注", "staff took back a carrier wording's label"),
        "console.login": ("登录控制台", "console login"), "console.login_failed": ("控制台登录失败", "console login failed"),
        "courier.add": ("添加快递员", "courier added"), "courier.login": ("快递员登录", "courier signed in"),
        "user.add": ("添加用户", "user added"), "user.enable": ("启用/停用用户", "user enabled or disabled"),
        "user.ensure": ("创建用户", "user created"), "user.passwd": ("修改密码", "password changed"),
        "user.role": ("修改角色", "role changed"), "policy.set": ("修改存放规则", "policy changed"),
        "policy.currency": ("存放费币种改为站点所在地的币种", "storage fee currency set to the site's own"),
        "retention.purge": ("清理过期记录", "old records purged"), "unit.vacation": ("住户设置外出", "unit on vacation"),
        # actions the trial of 2026-12-03 found as "其他" on the Chinese audit (a unit added on the Units page)
        "unit.add": ("添加住户", "unit added"), "unit.update": ("修改住户信息", "unit changed"),
        "unit.remove": ("删除住户", "unit removed"), "unit.import": ("导入住户", "units imported"),
        "unit.former_parcels": ("这户换了住户：原住户的包裹留下原住户的联系方式，提醒只发给原住户",
                                "the unit changed resident: the former resident's parcels keep their contact, and"
                                " their messages go only to them"),
        "notify.withheld": ("原住户的联系方式已不在，提醒没有发给现在的住户，已转为待办",
                            "the former resident's contact is gone: the message was not sent to the unit's new"
                            " resident, a staff task instead"),
        "message_withheld": ("提醒没有发出：这是原住户的包裹，已转为待办", "message held back: a former resident's parcel,"
                             " a staff task instead"),
        "courier.update": ("修改快递员", "courier changed"), "courier.enable": ("启用快递员", "courier enabled"),
        "courier.disable": ("停用快递员", "courier disabled"), "courier.rotate_code": ("更换快递员码", "courier code changed"),
        "user.disable": ("停用用户", "user disabled"), "console.logout": ("退出控制台", "console logout"),
        "parcel.handover_failed": ("前台交付未成功", "desk handover refused"), "parcel.refused": ("住户拒收", "refused by the resident"),
        "door.late_open": ("柜门在超时后才打开", "door opened late"), "message.retry": ("重发住户通知", "message sent again"),
        "directory.phones_dropped": ("删除住户完整手机号", "full phone numbers removed"),
        "tracking.assign": ("指派物流异常负责人", "tracking problem assigned"),
        "tracking.complaint_filed": ("已提交投诉", "complaint filed"), "alert.acknowledge": ("确认告警", "alert acknowledged"),
        "deposit.interrupted": ("投递中断", "deposit interrupted"),
        "deposit.resolve_interrupted": ("处理中断的投递", "interrupted deposit resolved"),
        "cmd.refused": ("云端指令被拒绝", "cloud command refused"), "cmd.result": ("云端指令结果", "cloud command result"),
        "parcel.expect": ("预登记包裹", "parcel pre-registered"), "parcel.stored": ("包裹入柜", "parcel stored"),
        "parcel.expected": ("包裹已预登记", "parcel pre-registered"),  # the event (HQ's site page, trial 2026-12-07e)
        "parcel.collected": ("包裹已取走", "parcel collected"), "parcel.handover": ("当面交付", "handed over"),
        "parcel.desk_intake": ("前台收件上架", "desk intake"), "parcel.hold": ("保留包裹", "parcel held"),
        "parcel.reissue_code": ("重发取件码", "code reissued"), "parcel.code_reissued": ("已重发取件码", "code reissued"),
        "parcel.move_to_parcel_room": ("移至" + PARCEL_ROOM_ZH, "moved to the parcel room"),
        "parcel.move_to_desk": ("移至" + DESK_ZH, "moved to the desk"), "parcel.moved": ("包裹已移动", "parcel moved"),
        "parcel.returned": ("已退回", "returned"), "parcel.dispose": ("处置包裹", "parcel disposed"),
        "parcel.disposed": ("已处置", "parcel disposed"), "parcel.overdue": ("包裹超期", "parcel overdue"),
        "parcel.reminder": ("提醒住户取件", "pickup reminder sent"), "parcel.notice_posted": ("张贴招领公告", "notice posted"),
        "parcel.anomaly_raised": ("发现物流异常", "tracking anomaly raised"),
        "parcel.anomaly_cleared": ("物流异常已解除", "tracking anomaly cleared"),
        "parcel.anomaly_escalated": ("物流异常升级", "tracking anomaly escalated"),
        "rules.disposed": ("已处置", "disposed"),
        "rules.hold": ("保留包裹（暂停计时）", "held (storage clock paused)"),
        "rules.hold_released": ("取消保留", "hold released"), "parcel.hold_released": ("取消保留", "hold released"),
        "rules.reminder": ("已提醒住户取件", "pickup reminder sent"),
        "rules.reminder_late": ("取件提醒已过时，未发送（已超期）", "pickup reminder not sent: already overdue"), "rules.fee_notice": ("已通知保管费", "storage fee notice sent"),
        "rules.overdue": ("已超期", "overdue"), "rules.notice": ("已列入招领公告", "put on the public notice"),
        "rules.disposal_due": ("公告期满，待处置", "notice period over: due for disposal"),
        "rules.move_to_parcel_room": ("到期，应移至" + PARCEL_ROOM_ZH, "due to move to the parcel room"),
        "rules.moved_to_parcel_room": ("移至" + PARCEL_ROOM_ZH, "moved to the parcel room"),  # by staff, for any reason
        "tracking.followup": ("物流跟进", "tracking follow-up"), "tracking.resolve": ("标记异常已解决", "anomaly resolved"),
        "tracking.escalation_suggested": ("建议升级投诉", "escalation suggested"),
        "task.done": ("完成待办", "task done"), "task.assign": ("分配待办", "task assigned"),
        "task_done": ("员工完成待办", "staff closed a task"),
        # parcel-log entries
        "expected": ("已预登记", "pre-registered"), "expected_updated": ("预登记已更新", "pre-registration updated"),
        "deposit_started": ("快递员开始投递", "courier started the deposit"),
        "deposit_moved": ("柜门未开，改用其他格口", "door did not open, moved to another door"),
        "deposit_cancelling": ("快递员取消投递", "courier cancelling"), "deposit_cancelled": ("投递已取消", "deposit cancelled"),
        "deposit_failed": ("投递失败", "deposit failed"), "deposit_interrupted": ("投递中断", "deposit interrupted"),
        "stored": ("已入柜", "stored"), "pickup_opened": ("住户输入取件码，已发出开门指令", "resident entered the code; door told to open"),
        "pickup_door_failed": ("住户取件时柜门没有打开", "door did not open for the resident"),
        "remote_open_failed": ("远程开门时柜门没有打开", "the door did not open for staff"),
        "removal_opening": ("已发出开门指令，柜门打开后记为已移出", "door told to open: recorded once it has opened"),
        "removal_failed": ("移出包裹时柜门没有打开，包裹仍在柜内", "the door did not open to take the parcel out: it is still in the locker"),
        "pickup_retry": ("住户点了“柜门没开？”再试一次", "resident asked to try the door again"),
        "collected": ("已取件", "collected"), "code_reissued": ("已重发取件码", "code reissued"),
        "hold": ("保留", "held"), "moved_to_parcel_room": ("已移至" + PARCEL_ROOM_ZH, "moved to the parcel room"),
        "returned": ("已退回", "returned"), "followup": ("物流跟进", "follow-up"),
        "anomaly_raised": ("发现物流异常", "tracking anomaly"), "anomaly_cleared": ("物流异常已解除", "anomaly cleared"),
        "handed_over": ("员工当面交付", "handed over by staff"), "remote_open": ("员工远程开门", "remote open by staff"),
        "disposed": ("已处置", "disposed"), "desk_intake": ("前台收件上架", "desk intake"),
        "reminder": ("已提醒住户", "reminder sent"), "overdue": ("已超期", "overdue"), "notice": ("已公告", "on notice"),
    },
    # reasons the software itself writes into the audit (staff's own reasons are shown as typed)
    "reason": {
        "deposit": ("快递员投递", "courier deposit"), "deposit (moved)": ("投递（改用另一个柜门）", "deposit (moved to another door)"),
        "deposit cancelled": ("快递员取消投递，取回包裹", "deposit cancelled"), "pickup": ("住户取件", "resident pickup"),
        "pickup retry": ("住户点了“柜门没开？”", "resident pressed “door didn't open?”"),
        "old default currency": ("规则里的人民币（CNY）是旧版本的默认值，站点不在内地，费用改按站点所在地的币种",
                                 "CNY was only the old default, and the site is not in mainland China: the fee is in"
                                 " the site's own currency"),
        "opened without a command": ("没有开门指令却被打开", "opened without a command"),
        "restart during deposit": ("投递中系统重启", "restart during a deposit"),
        "that courier code is not known": ("快递员码不正确", "unknown courier code"),
        "kiosk locked after wrong codes": ("柜机因输错取件码被锁定", "kiosk locked after wrong codes"),
        "site locked after wrong codes": ("全站因输错取件码被锁定", "site locked after wrong codes"),
        "lost code": ("丢失取件码", "lost code"), "reissued": ("已重发", "reissued"),
        # reasons the software writes in the audit (the trial of 2026-12-02 found "door_jammed" on a Chinese page)
        "door_jammed": ("柜门卡住未打开", "the door jammed"), "door_unconfirmed": ("开门后门磁没有确认", "the door sensor did not confirm"),
        "lock_board_unreachable": ("锁控板没有响应", "the lock board did not answer"), "restart": ("系统重启", "restart"),
        "no channel sends to phone numbers": ("没有发送到手机的通知渠道，不保存完整手机号", "no channel sends to phone numbers"),
        "the code's parcel is in a locker door": ("这个取件码的包裹在柜门里", "the code's parcel is in a locker door"),
        "wrong pickup code at the desk": ("前台输入的取件码不正确", "wrong pickup code at the desk"),
        "opened just after its confirm timeout (commanded open)": ("开门指令超时后才打开", "opened just after its confirm timeout"),
        "stored": ("包裹在柜内", "the parcel was there"), "empty": ("格口是空的", "the compartment was empty"),
        "former resident": ("原住户的包裹", "a former resident's parcel"),
        "retired door: taken out by hand": ("格口已拆除：包裹由员工手动取出", "retired door: taken out by hand"),
    },
    # refusals shown as flash messages (the code's plain meaning; the English message is the server's own)
    "error": {
        "storage_full": ("柜机的存储空间（SD 卡）已满，这次操作没有保存：请清理数据盘上的空间（见运维文档“磁盘已满”），无需重启",
                         "the locker's storage is full; nothing was saved: free space on the data disk, no restart needed"),
        "storage_unavailable": ("柜机现在无法写入存储，这次操作没有保存：请检查数据盘（见运维文档）",
                                "the locker cannot write to its storage; nothing was saved: check the data disk"),
        "not_queued": ("这条描述已不在待标注列表中（可能刚被标注）", "that wording is no longer in the queue"),
        "not_labelled": ("这条描述没有员工标注（可能已撤销）", "that wording has no staff label"),
        "event_unknown": ("找不到这条物流记录", "no such tracking event"),
        "invalid_template": ("这条描述没有可标注的文字", "this text has nothing to label"),
        "invalid_milestone": ("请选择一个含义", "choose a meaning"),
        "reason_required": ("请填写原因", "give a reason"), "not_in_locker": ("这件包裹不在快递柜里", "this parcel is not in a locker"),
        "code_invalid": ("取件码不正确", "that code is not valid"),
        "code_in_locker": ("这件包裹在柜门里，不在包裹室：请住户在柜机上取件", "that parcel is in a locker door"), "parcel_unknown": ("找不到这件包裹", "no such parcel"),
        "door_not_opened": ("柜门没有打开，包裹仍在柜内", "the door did not open; the parcel is still in the locker"),
        "compartment_unknown": ("没有这个格口", "no such compartment"), "invalid_date": ("请选择日期", "pick a date"),
        "invalid_shelf": ("请填写货架位", "give the shelf slot"), "said_required": ("请写下沟通内容", "write down what was said"),
        "disposal_not_due": ("还没到处置时间", "not due for disposal yet"), "confirm_required": ("请先确认", "please confirm first"),
        "unknown_action": ("未知操作", "unknown action"), "unavailable": ("该组件不可用", "not available"),
        "compartment_busy": ("格口正在使用中", "the compartment is busy"), "compartment_confirmed": ("这个格口已经确认过了", "this door is not waiting to be checked"),
        "bank_nothing_unconfirmed": ("这一排没有待确认的格口", "this bank has no door waiting to be checked"), "invalid_state": ("当前状态不能这样操作", "not possible in this state"),
        "already_collected": ("包裹已经取走了", "already collected"), "task_unknown": ("找不到这项待办", "no such task"),
        "invalid_setting": ("设置不正确", "invalid setting"),
        "already_deposited": ("这个运单已经存入了", "already deposited"), "anomaly_not_found": ("找不到这条异常", "no such anomaly"),
        "courier_code_invalid": ("快递员码不正确", "courier code not valid"), "csrf_failed": ("页面已过期，请刷新后再试", "the page expired; reload it"),
        "deposit_finished": ("这次投递已经结束", "the deposit is over"), "deposit_not_interrupted": ("这次投递没有中断", "the deposit was not interrupted"),
        "deposit_unknown": ("找不到这次投递", "no such deposit"), "disposal_not_allowed": ("不允许这种处置方式", "that way of disposal is not allowed"),
        "followup_invalid": ("跟进记录填写不正确", "the follow-up is not valid"), "invalid_follow_up": ("跟进记录填写不正确", "the follow-up is not valid"),
        "lock_not_active": ("这个锁定已经解除（可能已自动到期）", "this lock is not active (it may have ended by itself)"),
        "forbidden": ("没有权限", "not allowed"), "hold_not_allowed": ("这件包裹不能保留", "this parcel cannot be held"),
        "hold_too_long": ("保留时间超过上限", "the hold is too long"), "invalid_category": ("类别不正确", "unknown category"),
        "invalid_cross_border": ("跨境一栏请填 是 或 否", "cross-border is yes or no"),
        "illegal_transition": ("包裹当前的状态不允许这样操作", "the parcel cannot do that in its current state"),
        "invalid_code": ("取件码格式不正确", "the code is not valid"), "invalid_disposal": ("处置方式不正确", "unknown way of disposal"),
        "invalid_note": ("备注不正确", "the note is not valid"), "invalid_parcel": ("包裹信息不正确", "the parcel is not valid"),
        "invalid_password": ("密码不正确", "wrong password"), "invalid_role": ("角色不正确", "unknown role"),
        "invalid_phone_tail": ("手机尾号应是 4 位数字", "the phone tail is 4 digits"), "invalid_size": ("尺寸不正确", "unknown size"),
        "invalid_time": ("时间不正确", "the time is not valid"), "invalid_tracking_number": ("运单号不正确", "the tracking number is not valid"),
        "invalid_unit": ("房号不正确", "the unit is not valid"), "invalid_username": ("用户名只能用字母、数字，3 位以上", "the user name is not valid"),
        "last_admin": ("不能停用或降级最后一个管理员", "the last admin cannot be removed"),
        "login_failed": ("用户名或密码错误", "wrong user name or password"), "login_locked": ("登录失败次数过多，请稍后再试", "too many failed logins"),
        "login_required": ("请先登录", "log in first"), "not_available": ("该组件不可用", "not available"), "not_found": ("找不到", "not found"),
        "not_ready": ("系统正在启动", "starting"), "parcel_closed": ("这件包裹已经结束了", "this parcel is finished"),
        "parcel_not_held": ("这件包裹没有保留", "this parcel is not held"), "parcel_not_stored": ("这件包裹不在存", "this parcel is not stored"),
        "resident_changed": ("这件包裹存入后，这户换了住户：新取件码会发给现在的住户，所以没有重发。请联系原住户，核对身份后在包裹页“已取出并当面交付”",
                             "this flat has a new resident since the parcel was stored: a new code would go to them, so none was sent."
                             " Contact the former resident and, once you have checked who they are, use \u201chanded over\u201d on this page"),
        "password_mismatch": ("两次密码不一致", "the passwords differ"), "policy_invalid": ("存放规则不正确", "the policy is not valid"),
        "recipient_required": ("请填写收件人", "give the recipient"), "session_expired": ("登录已过期", "the session expired"),
        "unauthorized": ("请先登录", "log in first"), "unit_required": ("请填写房号", "give the unit"),
        "unit_unknown": ("没有这个房号", "no such unit"), "tracking_repeated": ("这个运单号在文件里已出现过", "the tracking number is already in the file"), "user_exists": ("用户名已存在", "that user exists"),
        "user_not_found": ("没有这个用户", "no such user"), "weak_password": ("密码太短或太简单（至少 10 位）", "the password is too weak"),
        "policy_version_old": ("设置已被别人修改，请刷新后再改", "the settings changed meanwhile; reload"),
        "sensor_present": ("这个柜门有门磁，不需要手动确认", "this door has a sensor"), "stale_version": ("设置已被别人修改，请刷新后再改", "the settings changed meanwhile; reload"),
    },
    # HQ's command types (HQ's pages; the console's audit as "总部指令：…")
    "command": {"door.open": ("远程开门", "Open a door"), "compartment.disable": ("停用格口", "Disable a compartment"),
        "compartment.enable": ("启用格口", "Enable a compartment"), "parcel.expect": ("预登记包裹", "Pre-register a parcel"),
        "parcel.hold": ("暂缓计时", "Hold a parcel"), "policy.set": ("更新规则", "Update the rules"),
        "resync": ("补发事件", "Resend events"), "telemetry.now": ("立即上报状态", "Report status now"),
        "courier.upsert": ("更新快递员", "Update a courier"), "unit.upsert": ("更新住户单元", "Update a unit"),
        "unit.remove": ("移除住户单元", "Remove a unit"),
    },
    # why a site refused an HQ command (cmd_result.json's codes), in words HQ and site staff can act on
    "cmd_refusal": {
        "clock_unsynchronised": ("站点拒绝：站点时钟未同步，需要时间的操作暂不执行（请检查站点的网络对时）",
                                 "Refused: the site's clock is not synchronised, so it refuses time-sensitive "
                                 "actions (check the site's time sync)"),
        "expired": ("站点拒绝：命令到达时已过期，未执行", "Refused: it reached the site after it expired; not carried out"),
        "not_yet_valid": ("站点拒绝：站点时钟比总部慢，命令还未生效", "Refused: the site's clock is behind HQ's, so the "
                          "command was not valid yet"),
        "bad_signature": ("站点拒绝：签名与站点配置的命令公钥不符", "Refused: the signature does not match the command "
                          "key the site is configured with"),
        "wrong_site": ("站点拒绝：命令是发给别的站点的", "Refused: the command was addressed to another site"),
        "unknown_type": ("站点拒绝：站点的软件不认识这种命令（请升级站点软件）",
                         "Refused: the site's software does not know this command (upgrade the site)"),
        "issued_before_restore": ("站点拒绝：站点已从备份恢复，恢复前签发的开门命令可能已由换下的设备执行过，所以没有执行；"
                                  "如仍需要开门，请重新发送",
                                  "Refused: the site was restored from a backup, and the unit it replaced may already "
                                  "have carried out a door command issued before the restore, so it was not: send it "
                                  "again if the door still needs opening"),
        "interrupted": ("站点执行时重启，未重复执行，请到站点核实", "The site restarted while carrying it out; it was not "
                        "repeated: check at the site"),
    },
}
for _type, (_zh, _en) in TERMS["command"].items():  # the audit's `cmd.<type>` rows (cloudsync/commands.py)
    TERMS["event"].setdefault("cmd." + _type, ("总部指令：" + _zh, "HQ command: " + _en[:1].lower() + _en[1:]))

CODE_RE = re.compile(r"^[a-z][a-z0-9]*([._][a-z0-9]+)+$")


#: (Chinese, English) names of the carriers `edge.tracking.carriers.carrier_code` can return beyond its
#: CARRIERS table (the posts and parcel networks found through a feed's name, e.g. "Colissimo" or "日本郵便"):
#: without them a cross-border parcel's carrier showed as its code (COLISSIMO, JAPANPOST, DHL_PAKET) on the
#: console's Chinese and English pages and in residents' messages (trial 2026-12-04b). CARRIERS wins.
EXTRA_CARRIERS: dict[str, tuple[str, str]] = {
    "ARAMEX": ("Aramex 快递", "Aramex"), "AUSPOST": ("澳大利亚邮政", "Australia Post"),
    "BEST": ("百世快递", "BEST Express"), "BPOST": ("比利时邮政", "bpost"), "BRING": ("挪威邮政 Bring", "Posten Bring"),
    "CANADAPOST": ("加拿大邮政", "Canada Post"), "COLISSIMO": ("法国邮政 Colissimo", "Colissimo (La Poste)"),
    "CORREIOS": ("巴西邮政", "Correios (Brazil)"), "CORREOS_ES": ("西班牙邮政", "Correos (Spain)"),
    "CORREOS_EXPRESS": ("西班牙 Correos Express", "Correos Express"), "CTT": ("葡萄牙邮政", "CTT (Portugal)"),
    "DHL_PAKET": ("德国 DHL 包裹", "DHL Paket (Germany)"), "DHL_PL": ("波兰 DHL 包裹", "DHL Parcel Poland"),
    "DPD": ("DPD 快递", "DPD"), "EVRI": ("英国 Evri 快递", "Evri"), "FOURPX": ("递四方", "4PX"),
    "GLS": ("GLS 快递", "GLS"), "HERMES": ("德国 Hermes 快递", "Hermes Germany"), "INPOST": ("波兰 InPost", "InPost"),
    "JAPANPOST": ("日本邮政", "Japan Post"), "KOREA_POST": ("韩国邮政", "Korea Post"),
    "LANDMARK": ("Landmark Global 物流", "Landmark Global"), "MALAYSIA_POST": ("马来西亚邮政", "Pos Malaysia"),
    "MERCADO_ENVIOS": ("美客多物流", "Mercado Envios"), "MONDIAL_RELAY": ("法国 Mondial Relay", "Mondial Relay"),
    "NZPOST": ("新西兰邮政", "NZ Post"), "SINGPOST": ("新加坡邮政", "SingPost"), "POSTE_ITALIANE": ("意大利邮政", "Poste Italiane"),
    "POSTI": ("芬兰邮政", "Posti (Finland)"), "POSTNL": ("荷兰邮政", "PostNL"), "POSTNORD": ("北欧邮政 PostNord", "PostNord"),
    "PUROLATOR": ("加拿大 Purolator 快递", "Purolator"), "RELAIS_COLIS": ("法国 Relais Colis", "Relais Colis"),
    "SAGAWA": ("佐川急便", "Sagawa Express"), "SEKO": ("SEKO 物流", "SEKO Logistics"),
    "SERVIENTREGA": ("哥伦比亚 Servientrega", "Servientrega"), "SPRING": ("Spring GDS 物流", "Spring GDS"),
    "SWISSPOST": ("瑞士邮政", "Swiss Post"), "YAMATO": ("大和运输（黑猫宅急便）", "Yamato Transport"),
}


def name_key(name: str) -> str:
    """A carrier's name as NAMED_CARRIERS holds it: letters and digits only, lower-cased."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


#: (Chinese, English) names of carriers a courier's record names in words, without a code of the tracking tables:
#: Hong Kong's own (trial39: a Kerry Express courier's parcels read "Kerry Express" on Chinese pages and in Chinese
#: residents' messages). Keyed by name_key(); each name a courier's company may be written as, in either language.
NAMED_CARRIERS: dict[str, tuple[str, str]] = {
    key: names
    for names, spellings in (
        (("嘉里快递", "Kerry Express"), ("Kerry Express", "Kerry Express HK", "Kerry", "嘉里快递", "嘉里快遞", "嘉里物流")),
        (("香港邮政", "Hongkong Post"), ("Hongkong Post", "Hong Kong Post", "HK Post", "HKPost", "香港邮政", "香港郵政")),
    )
    for key in (name_key(n) for n in spellings)
}


def _carriers() -> dict[str, tuple[str, str]]:
    from edge.tracking.carriers import CARRIERS

    return {**EXTRA_CARRIERS, **{code: (c.name_zh, c.name) for code, c in CARRIERS.items()}}


def lookup(group: str, code: str | None) -> tuple[str, str] | None:
    if not code:
        return None
    if group == "carrier":
        return _carriers().get(code) or _carriers().get(code.upper()) or NAMED_CARRIERS.get(name_key(code))
    return TERMS.get(group, {}).get(code)


def label(group: str, code: str | None, lang: str) -> str:
    """The word for `code` in `lang` ("zh" or "en"). An unknown code reads as words, never as a code."""
    if not code:
        return ""
    got = lookup(group, code)
    if got is not None:
        return got[0] if lang.startswith("zh") else got[1]
    if group == "carrier":
        return code  # a carrier name typed by staff
    if lang.startswith("zh"):
        return "其他"
    return code.replace("_", " ").replace(".", ": ")


def carrier_name(code: str | None, lang: str) -> str:
    return label("carrier", code, lang)


def listed(items: Iterable[Any], lang: str, *, clauses: bool = False) -> str:
    """A list as each language writes it: "房号、手机" on Chinese pages (the enumeration comma), "unit, phone" in
    English; `clauses` (items that are whole phrases, "手机尾号：1234"): "；" in Chinese. The one place the console
    joins a list in words (fix41: "文件里的列：姓名, 电话")."""
    words = [str(x) for x in items]
    if lang.startswith("zh"):
        return ("；" if clauses else "、").join(words)
    return ", ".join(words)


def qualified(text: str, qualifier: str, lang: str) -> str:
    """A name with its qualifier in brackets, as each language writes it: full-width on Chinese pages
    ("海景阁（Tower 2）", "东园小区（gardens-east）"), a space and half-width ones in English ("Harbour View Court
    (harbour-view-court)"). The one place pages compose such names (HQ's site names; trial 2026-12-07d)."""
    return f"{text}（{qualifier}）" if lang.startswith("zh") else f"{text} ({qualifier})"


def legacy_place_suffix(place: dict[str, Any] | None) -> str:
    """How tracking wrote where the carrier says a parcel went into its next step before ADR 0046, in English:
    " (carrier text: station 阳光小区东门菜鸟驿站)". Still the wording of `parcel.anomaly_raised`'s `next_action`
    (kept for HQ consumers and old sites); never stored in `anomalies.next_action` since schema v13."""
    if not place or not place.get("name"):
        return ""
    return f" (carrier text: {place.get('kind') or ''} {place['name']})"


def split_legacy_step(next_action: str, place: dict[str, Any] | None) -> str:
    """The step alone from a text that may end with `legacy_place_suffix(place)` (an old row or event)."""
    suffix = legacy_place_suffix(place)
    if suffix and next_action.endswith(suffix):
        return next_action[: -len(suffix)]
    return next_action


def anomaly_step(kind: str | None, step: str, place: dict[str, Any] | None, lang: str) -> str:
    """An anomaly's next step in words, in `lang`: the glossary's wording when `step` is the playbook's default
    (or empty), else the step as the site configured it; then, when the carrier named where the parcel went,
    "（快递记录：驿站/代收点：…）" / " (carrier text: pickup station: …)". The step and the place are kept apart
    (ADR 0046): this composes them, never parses them."""
    from edge.tracking.names import PLACE_KINDS
    from edge.tracking.names import label as name_label

    zh = lang.startswith("zh")
    got = lookup("next_action", kind)
    text = (got[0] if zh else got[1]) if got and (step == got[1] or not step) else step
    if not place or not place.get("name"):
        return text
    what = name_label(PLACE_KINDS, place.get("kind"), "zh" if zh else "en")
    if zh:
        return f"{text}（快递记录：{what}：{place['name']}）"
    return f"{text} (carrier text: {what}: {place['name']})"


#: the groups the kiosk shows (the rest is staff vocabulary)
KIOSK_GROUPS = ("place", "state", "category", "carrier")


@lru_cache(maxsize=2)
def as_js(version: int = 1, hk: bool = False) -> str:
    """The kiosk's part of the glossary as an ES module: ``export default {"zh-CN": {...}, en: {...}}``; `hk` (a
    site offering 繁體中文) adds ``"zh-HK"``, the Chinese words converted."""
    out: dict[str, dict[str, str]] = {"zh-CN": {}, "en": {}}
    # the carriers named in words too (Kerry Express -> 嘉里快递: the kiosk's courier bar, trial39)
    groups = {**{g: TERMS[g] for g in KIOSK_GROUPS if g in TERMS}, "carrier": {**NAMED_CARRIERS, **_carriers()}}
    for group, items in groups.items():
        for code, (zh, en) in items.items():
            out["zh-CN"][f"{group}.{code}"] = zh
            out["en"][f"{group}.{code}"] = en
    if hk:  # 繁體中文 (Hong Kong): the Chinese words converted (docs/decisions/0050-zh-hk-by-conversion.md)
        from edge import hant

        out["zh-HK"] = {k: hant.convert(v) for k, v in out["zh-CN"].items()}
    return "// Built from edge/glossary.py: the one glossary shared by the console and the kiosk.\nexport default " + (
        json.dumps(out, ensure_ascii=False, sort_keys=True) + ";\n")


__all__ = ["CODE_RE", "DESK_ZH", "EXTRA_CARRIERS", "PARCEL_ROOM_ZH", "TERMS", "as_js", "carrier_name", "label", "lookup"]
