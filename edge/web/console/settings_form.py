"""The storage policy as a form (not JSON): one labelled field per setting, validated by the Policy model.

Fields are named by their path (``fresh.overdue_hours``); lists of hours are typed as "24, 48"; an empty
optional field means "as for normal parcels". The form carries the version it was built from, so a save
over someone else's newer change is refused instead of overwriting it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from edge import glossary
from edge.domain.vocab import CATEGORIES
from edge.errors import DomainError

#: path -> (zh, en); sections are the first part of a dotted path
LABELS: dict[str, tuple[str, str]] = {
    "reminder_hours": ("提醒住户取件（入柜后几小时，可填多个）", "Remind the resident after (hours, several allowed)"),
    "overdue_hours": ("超过几小时算超期", "Overdue after (hours)"),
    "locker_max_hours": ("在柜最长几小时（之后移至" + glossary.PARCEL_ROOM_ZH + "）", "Longest in a locker (hours, then the parcel room)"),
    "unclaimed_working_days": ("几个工作日无人领取进入公告", "Unclaimed after (working days, then the notice)"),
    "notice_working_days": ("公告期（工作日）", "Notice period (working days)"),
    "disposal_options": ("允许的处置方式", "Allowed ways of disposal"),
    "locker_categories": ("可以放入智能柜的包裹类别", "Kinds of parcel allowed in a locker"),
    "hold_max_days": ("保留最多几天（合计）", "Holds at most (days in all)"),
    "vacation_max_days": ("住户外出最多几天", "Vacation at most (days)"),
    "storage_fee.enabled": ("收取保管费", "Charge a storage fee"),
    "storage_fee.free_hours": ("免费保管几小时", "Free for (hours)"),
    "storage_fee.fee_per_period": ("每个计费周期收费", "Fee per period"),
    "storage_fee.period_hours": ("计费周期（小时）", "Period (hours)"),
    "storage_fee.cap": ("最多收费", "Fee cap"),
    # the value is an ISO 4217 code (policy.py); the label says what the code is (trial38 read a bare "CNY")
    "storage_fee.currency": ("币种（国际代码，人民币为 CNY，港币为 HKD；留空则用站点所在地的币种）",
                             "Currency (ISO code: CNY for Chinese yuan, HKD for Hong Kong dollars; empty: the site's"
                             " country's)"),
    "storage_fee.notice_hours": ("收费前几小时通知", "Notice before charging (hours)"),
    "pickup_code.length": ("取件码位数", "Pickup code digits"),
    "pickup_code.share_per_unit": ("同一户的包裹共用一个取件码", "One code for all parcels of a unit"),
    "pickup_code.kiosk_attempts": ("每台柜机连续输错几次锁定", "Wrong codes before a kiosk locks"),
    "pickup_code.kiosk_lockout_s": ("首次锁定几秒", "First lockout (seconds)"),
    "pickup_code.kiosk_lockout_max_s": ("最长锁定几秒", "Longest lockout (seconds)"),
    "pickup_code.site_bucket": ("全站可连续输错次数", "Wrong codes the whole site allows in a row"),
    "pickup_code.site_refill_per_hour": ("全站每小时恢复的尝试次数", "Site attempts restored per hour"),
    "pickup_code.assumed_active_parcels": ("按多少件在存包裹估算猜中概率", "Parcels assumed stored (guessing bound)"),
    "personal_data_retention_days": ("住户个人信息保留天数", "Keep personal data for (days)"),
    "sweep_interval_s": ("规则检查间隔（秒）", "Rules check every (seconds)"),
}
SECTIONS: dict[str, tuple[str, str]] = {
    "": ("普通包裹与总体规则", "Normal parcels and general rules"),
    "fresh": ("生鲜（留空则同普通包裹）", "Fresh food (empty: as normal parcels)"),
    "medicine": ("药品（留空则同普通包裹）", "Medicine (empty: as normal parcels)"),
    "valuable": ("贵重（留空则同普通包裹）", "Valuable (empty: as normal parcels)"),
    "oversize": ("超大件（留空则同普通包裹）", "Oversize (empty: as normal parcels)"),
    "storage_fee": ("保管费", "Storage fee"),
    "pickup_code": ("取件码与防猜测", "Pickup codes and guessing protection"),
}
DISPOSAL = ("return_to_sender", "hand_over", "parcel_room")
#: settings chosen from a fixed set, shown as check boxes: path -> (choices, glossary group of their names)
CHECKS: dict[str, tuple[tuple[str, ...], str]] = {
    "disposal_options": (DISPOSAL, "disposal"),
    "locker_categories": (tuple(CATEGORIES), "category"),
}
LIST_KEYS = ("reminder_hours",)


def _label(path: str, lang: str) -> str:
    got = LABELS.get(path) or LABELS.get(path.split(".", 1)[-1])
    if got is None:
        return path
    return got[0] if lang == "zh" else got[1]


def flatten(doc: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k, v in doc.items():
        if k == "version":
            continue
        if isinstance(v, dict):
            out.extend(flatten(v, prefix + k + "."))
        else:
            out.append((prefix + k, v))
    return out


@dataclass(frozen=True)
class Field:
    """One setting as the form shows it (``console/_settings_form.html`` draws it by ``kind``)."""

    path: str
    label: str
    kind: str  # checks | bool | list | number | text
    value: Any
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    fields: list[Field]


def _field(path: str, value: Any, lang: str) -> Field:
    label = _label(path, lang)
    if path in CHECKS:
        choices, group = CHECKS[path]
        return Field(path, label, "checks", list(value or []),
                     tuple((v, glossary.label(group, v, lang)) for v in choices))
    if isinstance(value, bool):
        return Field(path, label, "bool", value)
    if isinstance(value, list) or path.endswith(LIST_KEYS):
        shown = ", ".join(f"{x:g}" if isinstance(x, float) else str(x) for x in (value or []))
        return Field(path, label, "list", shown)
    if isinstance(value, (int, float)) or value is None:
        shown = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
        return Field(path, label, "number", shown)
    return Field(path, label, "text", value)


def sections(doc: dict[str, Any], lang: str) -> list[Section]:
    """The policy document as labelled fields grouped by section, in the document's order."""
    groups: dict[str, list[Field]] = {}
    for path, value in flatten(doc):
        section = path.split(".", 1)[0] if "." in path else ""
        groups.setdefault(section, []).append(_field(path, value, lang))
    return [Section((SECTIONS.get(sec) or (sec, sec))[0 if lang == "zh" else 1], fields)
            for sec, fields in groups.items()]


def _number(text: str) -> float | int:
    v = float(text)
    return int(v) if v.is_integer() else v


def parse(form: Any, current: dict[str, Any]) -> dict[str, Any]:
    """The posted fields over the current document (same shape); bad numbers are refused by field name."""
    def walk(doc: dict[str, Any], prefix: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in doc.items():
            path = prefix + k
            if k == "version":
                out[k] = v
            elif isinstance(v, dict):
                out[k] = walk(v, path + ".")
            elif path in CHECKS:
                out[k] = [x for x in form.getlist(path) if x in CHECKS[path][0]]
            else:
                raw = form.get(path)
                if raw is None:
                    out[k] = v
                    continue
                raw = str(raw).strip()
                try:
                    if isinstance(v, bool):
                        out[k] = raw == "1"
                    elif isinstance(v, list) or k in LIST_KEYS:
                        items = [_number(x) for x in raw.replace("，", ",").split(",") if x.strip()]
                        out[k] = items if items or isinstance(v, list) else None
                    elif isinstance(v, (int, float)) or v is None:
                        out[k] = None if raw == "" else _number(raw)
                    else:
                        out[k] = raw
                except ValueError:
                    raise DomainError("policy_invalid", f"{path}: not a number", status=422) from None
        return out

    return walk(current, "")


def _category(code: str, lang: str) -> str:
    word = glossary.label("category", code, lang)
    return word if lang == "zh" else word[:1].upper() + word[1:]


def _where(path: str, lang: str) -> str:
    """A field's label, with its section when it is a category's ("生鲜 · 超过几小时算超期")."""
    label = _label(path, lang)
    section = path.split(".", 1)[0] if "." in path else ""
    if section in CATEGORIES:
        return f"{_category(section, lang)} · {label}"
    return label


#: Pydantic's error types -> why, in Chinese ({n}: the limit)
_WHY_ZH = {"greater_than": "必须大于 {n}", "greater_than_equal": "不能小于 {n}", "less_than": "必须小于 {n}",
           "less_than_equal": "不能大于 {n}", "float_parsing": "请填写数字", "int_parsing": "请填写整数",
           "int_from_float": "请填写整数", "float_type": "请填写数字", "int_type": "请填写整数",
           "bool_parsing": "请选择是或否", "list_type": "请填写数字，用逗号分开",
           "string_pattern_mismatch": "请填写三个字母的国际代码（如 CNY、HKD），或留空"}
#: the Policy model's own sentences (edge/policy.py) -> zh, en ({0}, {1}: the pattern's groups)
_RULES = (
    (r"(\w+): reminders must come before overdue \(([\d.]+) h\)",
     "{0}：提醒住户取件的时间要早于超期时间（{1} 小时）", "{0}: the reminders must come before overdue ({1} h)"),
    (r"disposal_options needs at least one", "至少要允许一种处置方式", "allow at least one way of disposal"),
    (r"reminder hours must be greater than 0", "提醒时间必须大于 0", "reminder hours must be greater than 0"),
    (r"reminder hours must not repeat", "提醒时间不能重复", "reminder hours must not repeat"),
    (r"at most (\d+) reminders", "最多 {0} 次提醒", "at most {0} reminders"),
)


def _rule(msg: str, lang: str) -> str | None:
    for pattern, zh, en in _RULES:
        m = re.search(pattern, msg)
        if m:
            groups = [_category(g, lang) if g in CATEGORIES else
                      (f"{float(g):g}" if re.fullmatch(r"[\d.]+", g) else g) for g in m.groups()]
            return (zh if lang == "zh" else en).format(*groups)
    return None


def explain(exc: ValidationError | ValueError, lang: str) -> str:
    """Why the Policy model refused the form, naming the field (a rule across fields said "：填写的值不被接受"
    with no field at all)."""
    if not isinstance(exc, ValidationError):
        return _rule(str(exc), lang) or ("存放规则之间有冲突，请检查提醒和超期时间" if lang == "zh" else str(exc))
    parts = []
    for e in exc.errors()[:3]:
        path = ".".join(str(x) for x in e.get("loc", ()))
        msg = str(e.get("msg", ""))
        why = _rule(msg, lang)
        if why is None:
            ctx = e.get("ctx") or {}
            limit = next((f"{ctx[k]:g}" if isinstance(ctx[k], (int, float)) else ctx[k]
                          for k in ("gt", "ge", "lt", "le") if k in ctx), "")
            why = (_WHY_ZH.get(str(e.get("type")), "填写的值不被接受").format(n=limit) if lang == "zh"
                   else msg.removeprefix("Value error, "))
        parts.append(f"{_where(path, lang)}：{why}" if path and lang == "zh" else f"{_where(path, lang)}: {why}" if path
                     else why)
    return "；".join(parts) if lang == "zh" else "; ".join(parts)
