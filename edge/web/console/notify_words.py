"""The messages page in the staff's words: channel names and the errors channels report.

The channels (edge/notify/channels) write their errors in English for the log; the dispatcher joins
them as ``"<channel>: <why>; <channel>: <why>"``. The Chinese console showed them as they are ("hq:
cloud sync is off: HQ cannot notify the resident", user trial 2026-12-02c). Each sentence a channel
can write is read here by pattern; a provider's own error code or an exception's name stays as it is,
set apart as a code (``code.raw``) inside a Chinese sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

#: a channel's configured name is its kind unless the operator named it
CHANNEL_NAMES: dict[str, tuple[str, str]] = {
    "hq": ("HQ (cloud)", "总部（云端）"),
    "sim": ("simulator", "模拟通道"),
    "webhook": ("webhook", "推送接口"),
    "sms-aliyun": ("Aliyun SMS", "阿里云短信"),
    "sms-tencent": ("Tencent Cloud SMS", "腾讯云短信"),
    "sms-twilio": ("Twilio SMS", "Twilio 短信"),
    "gsm-modem": ("GSM modem", "GSM 短信模块"),
    "smtp": ("e-mail", "邮件"),
    # `lockerd simulate`'s stand-in for the site file's own channels (edge/cli/simulate.PHONES_KEPT)
    "sim-off": ("simulation: the site's own channels are off", "模拟运行：本站自己的消息渠道已关闭"),
}
_PROVIDERS = {"Aliyun SMS": "阿里云短信", "Tencent SMS": "腾讯云短信", "Twilio": "Twilio 短信", "webhook": "推送接口"}


def _code(text: str) -> str:
    return f'<code class="raw">{escape(text)}</code>'


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_P = "(Aliyun SMS|Tencent SMS|Twilio|webhook)"
#: (pattern over one channel's reason, its Chinese as HTML); first match wins
RULES: list[Rule] = [
    (re.compile(r"cloud sync is off: HQ cannot notify the resident"), lambda m: "云端同步未开启，总部无法通知住户"),
    (re.compile(r"no answer in time"), lambda m: "在限定时间内没有回应"),
    (re.compile(r"no channel carries this kind of message"), lambda m: "没有哪个通知渠道发送这类通知"),
    (re.compile(r"no phone number in the directory for this unit"), lambda m: "住户名录里没有这个房号的手机号"),
    (re.compile(r"its SMS template names the pickup deadline: it waits for the clock to be right"),
     lambda m: "短信模板里有取件期限，柜机时钟还没有校准：等时钟校准后再发"),
    (re.compile(r"no e-mail address in the directory for this unit"), lambda m: "住户名录里没有这个房号的邮箱"),
    (re.compile(r"the mail server refused the address"), lambda m: "邮件服务器拒收这个邮箱地址"),
    (re.compile(r"Twilio needs the number in international form \(\+\.\.\.\)"),
     lambda m: "Twilio 短信需要国际格式的手机号（以 + 开头）"),
    (re.compile(r"Twilio refused the number \(error (\S+)\)"), lambda m: f"Twilio 短信拒收这个号码（错误 {_code(m[1])}）"),
    (re.compile(r"(Aliyun SMS|Tencent SMS) refused: (.+)"), lambda m: f"{_PROVIDERS[m[1]]}拒绝发送（{_code(m[2])}）"),
    (re.compile(r"modem refused the number: (.+)"), lambda m: f"短信模块拒收这个号码（{_code(m[1])}）"),
    (re.compile(_P + r" unreachable: (.+)"), lambda m: f"连不上{_PROVIDERS[m[1]]}（{_code(m[2])}）"),
    (re.compile(_P + r" answered HTTP (\d+) without JSON"), lambda m: f"{_PROVIDERS[m[1]]}回复了 HTTP {m[2]}，内容无法识别"),
    (re.compile(r"Twilio answered HTTP (\d+)(?: \(error (\S+)\))?"),
     lambda m: f"Twilio 短信回复了 HTTP {m[1]}" + (f"（错误 {_code(m[2])}）" if m[2] else "")),
    (re.compile(r"webhook answered HTTP (\d+)"), lambda m: f"推送接口回复了 HTTP {m[1]}"),
    (re.compile(r"(Aliyun SMS|Tencent SMS): (.+)"), lambda m: f"{_PROVIDERS[m[1]]}返回错误（{_code(m[2])}）"),
    (re.compile(r"mail server: (.+)"), lambda m: f"邮件服务器出错（{_code(m[1])}）"),
    # the modem's port cannot be opened (unplugged, or held by another program): said first, the driver's words after
    # ("短信模块出错（bus … is offline: cannot open …）" put them inside the Chinese: trial 2026-12-07)
    (re.compile(r"modem: bus (\S+) is offline: cannot open \S+: (.+)"),
     lambda m: f"短信模块没有连接：打不开串口 {_code(m[1])}（拔掉了，或被其他程序占用）。详情：{_code(m[2])}"),
    (re.compile(r"modem: bus (\S+) is offline(?:: (.+))?"),
     lambda m: f"短信模块没有连接（串口 {_code(m[1])}）" + (f"。详情：{_code(m[2])}" if m[2] else "")),
    (re.compile(r"modem: (.+)"), lambda m: f"短信模块出错（{_code(m[1])}）"),
    (re.compile(r"internal error \((\w+)\)"), lambda m: f"程序内部错误（{_code(m[1])}）"),
    (re.compile(r"[A-Z]\w*(Error|Exception)"), lambda m: f"程序内部错误（{_code(m[0])}）"),
]


def channel_name(name: str, lang: str) -> str:
    names = CHANNEL_NAMES.get(name)
    if names is None:
        return name  # the operator's own name for it
    return names[1] if lang == "zh" else names[0]


def _reason_zh(why: str) -> str:
    for pattern, words in RULES:
        m = pattern.fullmatch(why.strip())
        if m is not None:
            return words(m)
    return "渠道报错：" + _code(why)


def channel_error(text: str, lang: str, known: set[str] | None = None) -> Markup | str:
    """One message's (or one channel's) last error in the console's language.

    `known` are the configured channel names, so that "hq: ..." is read as channel "hq"'s reason."""
    if lang != "zh" or not text:
        return text
    lead = ""
    if text.startswith("expired: "):  # queue.mark_retry: the message's time ran out undelivered
        lead, text = "过期未送达。", text[len("expired: "):]
    parts = []
    for one in text.split("; "):
        name, sep, why = one.partition(": ")
        if sep and (name in CHANNEL_NAMES or (known is not None and name in known)):
            parts.append(f"{escape(channel_name(name, lang))}：{_reason_zh(why)}")
        else:
            parts.append(_reason_zh(one))
    return Markup(lead + "；".join(parts))
