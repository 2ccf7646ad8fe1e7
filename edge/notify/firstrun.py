"""What a real site still lacks before the first parcel (no admin, no couriers, no units, no channel), for
the start-up log and the console's first page. `lockerd run` never adds demo data: this says what to do."""

from __future__ import annotations

from edge.store.db import Tx

ITEMS = ("no_admin", "no_couriers", "no_units", "no_channel", "no_calendar")

TEXT: dict[str, dict[str, str]] = {
    "no_admin": {
        "en": "no staff admin account yet: run `lockerd user add NAME --role admin --config site.toml`",
        "zh": "还没有管理员账号：运行 `lockerd user add 用户名 --role admin --config site.toml`",
    },
    "no_couriers": {
        "en": "no courier codes yet: couriers cannot sign in at the kiosk. Add them on the Couriers page or with"
              " `lockerd courier add --code CODE --company NAME`",
        "zh": "还没有快递员取派码：快递员无法在柜机登录。请在“快递员”页面添加，或运行"
              " `lockerd courier add --code 取派码 --company 公司`",
    },
    "no_units": {
        "en": "no residents' units yet: any unit typed at the kiosk is accepted. Import them on the Units page or"
              " with `lockerd unit import units.csv`",
        "zh": "还没有住户房号：柜机会接受任何输入的房号。请在“住户”页面导入，或运行 `lockerd unit import 住户.csv`",
    },
    "no_channel": {
        "en": "no channel reaches residents: pickup codes are not sent to anyone. Add a [[notify.channels]]"
              " section (webhook, SMS, GSM modem or e-mail) or turn cloud sync on",
        "zh": "没有可用的住户通知渠道：取件码不会发送给任何人。请在配置中添加 [[notify.channels]]（webhook、短信、"
              "GSM 模块或邮件），或开启云端同步",
    },
    "no_calendar": {
        "en": "site.holiday_calendar names no calendar lockerd knows: storage deadlines count Monday to Friday and every"
              " public holiday as a working day. Set it to CN or an ISO country code (HK, GB, DE-BY), then"
              " `lockerd check-config` and restart",
        "zh": "site.holiday_calendar 不是已知的节假日日历：存放期限只按周一至周五计算，法定节假日也算工作日。请改为 CN"
              " 或国家代码（HK、GB、DE-BY），再运行 `lockerd check-config` 并重启",
    },
}


def calendar_known(code: str) -> bool:
    """Whether the site's holiday_calendar names a calendar: CN, none, or a country (and subdivision) the `holidays`
    package has. A mistyped one ("HKG", "Hong Kong") passed check-config and counted Christmas a working day
    (trial39)."""
    code = (code or "").strip().upper()
    if code in ("", "NONE", "CN"):
        return True
    import holidays

    country, _, subdiv = code.partition("-")
    try:
        holidays.country_holidays(country, subdiv=subdiv or None)
    except (NotImplementedError, KeyError, ValueError):
        return False
    return True


def missing(tx: Tx, channels: list[str], holiday_calendar: str = "") -> list[str]:
    out = []
    try:
        admins = tx.scalar("SELECT count(*) FROM staff_users WHERE role = 'admin' AND active = 1")
    except Exception:  # the console's schema may not be installed
        admins = 1
    if not admins:
        out.append("no_admin")
    if not tx.scalar("SELECT count(*) FROM couriers WHERE active = 1"):
        out.append("no_couriers")
    if not tx.scalar("SELECT count(*) FROM units WHERE source != 'demo'"):
        out.append("no_units")
    if not channels:
        out.append("no_channel")
    if not calendar_known(holiday_calendar):
        out.append("no_calendar")
    return out


def text(item: str, lang: str) -> str:
    t = TEXT.get(item, {})
    return t.get("zh" if lang.startswith("zh") else "en") or item
