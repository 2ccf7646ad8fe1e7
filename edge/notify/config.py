"""`[notify]` and `[[notify.channels]]` of the site config: how residents' messages leave the site.

Channels are tried in order until one accepts a message. Secrets (API keys, passwords, webhook signing
keys) are read from the files the config names (``*_file``), never written in the config itself.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from edge.secret_files import SECRET_FILE

#: message kinds every channel may carry (DESIGN.md section 3), plus the storage rules' own kinds
KINDS = ("stored", "reminder", "overdue", "notice", "disposed", "collected", "code_reissued", "anomaly",
         "fee_notice", "moved")


#: the values an SMS template may name (edge/notify/channels/base.py Outgoing.params; docs/notifications.md)
TEMPLATE_VALUES = ("code", "tracking", "unit", "deadline", "qr", "link", "count", "carriers", "places")
#: values sent to an Aliyun template only when its kind's list names them (before ADR 0046's change every
#: Aliyun request carried code, tracking, unit and deadline; these were added for folded messages)
FOLD_VALUES = ("count", "carriers", "places")
PARAM_MAX_FORM = ("the longest value sent in one template variable; a folded message's list of numbers, carriers"
                  " or places is cut at a whole item ('等3件' / 'and 1 more') to fit")


def _known_values(names: list[str]) -> list[str]:
    bad = [n for n in names if n not in TEMPLATE_VALUES]
    if bad:
        raise ValueError(f"unknown template value {bad[0]!r}; values are {', '.join(TEMPLATE_VALUES)}")
    return names


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Channel(_Strict):
    name: str = Field("", description="shown in the console; defaults to the kind")
    kinds: list[str] = Field(default_factory=list, description="only these message kinds (empty: all)")
    timeout_s: float = Field(10, gt=0, le=120, description="one send's time limit")

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, v: list[str]) -> list[str]:
        bad = [k for k in v if k not in KINDS]
        if bad:
            raise ValueError(f"unknown message kind {bad[0]!r}; kinds are {', '.join(KINDS)}")
        return v


class _TemplateSms(_Channel):
    """A provider that sends approved templates (Aliyun, Tencent): the value names its lists give are known ones."""

    @field_validator("template_params", "template_params_by_kind", check_fields=False)
    @classmethod
    def _names(cls, v: list[str] | dict[str, list[str]]) -> list[str] | dict[str, list[str]]:
        for names in v.values() if isinstance(v, dict) else [v]:
            _known_values(names)
        return v


class HqChannel(_Channel):
    """HQ sends the message (the default; `lockerd hq serve --notify`, ADR 0049): accepted once cloud sync is on, it
    goes to HQ as a notify.message event with the resident's full phone number (the directory keeps them)."""

    kind: Literal["hq"] = Field(description="channel type")


class SimChannel(_Channel):
    """The simulator's stand-in gateway (GET /api/v1/sim/notifications): accepts everything."""

    kind: Literal["sim"] = Field(description="channel type")


class WebhookChannel(_Channel):
    kind: Literal["webhook"] = Field(description="channel type")
    url: str = Field(pattern=r"^https?://", description="POST target")
    secret_file: str = Field("", json_schema_extra=SECRET_FILE,
        description="file with a key: requests carry X-Lockerd-Signature (HMAC-SHA256)")
    send_phone: bool = Field(False, description="include the resident's full phone number (kept in the directory)")


class AliyunSmsChannel(_TemplateSms):
    kind: Literal["sms-aliyun"] = Field(description="channel type")
    access_key_id: str = Field(min_length=1, description="Aliyun AccessKey ID")
    access_key_secret_file: str = Field(min_length=1, json_schema_extra=SECRET_FILE,
        description="file holding the AccessKey secret")
    sign_name: str = Field(min_length=1, description="the approved SMS signature (签名)")
    templates: dict[str, str] = Field(description="message kind -> approved template code (SMS_...)")
    template_params_by_kind: dict[str, list[str]] = Field(
        default_factory=dict,
        description="message kind -> the names its template uses (TemplateParam carries only these); a kind not"
                    " given gets code, tracking, unit, deadline (and qr, link with a pickup link)")
    param_max_chars: int = Field(35, ge=6, le=500, description=PARAM_MAX_FORM + " (Aliyun's default limit: 35)")
    endpoint: str = Field("https://dysmsapi.aliyuncs.com/", description="API address")
    region: str = Field("cn-hangzhou", description="API region")


class TencentSmsChannel(_TemplateSms):
    kind: Literal["sms-tencent"] = Field(description="channel type")
    secret_id: str = Field(min_length=1, description="Tencent Cloud SecretId")
    secret_key_file: str = Field(min_length=1, json_schema_extra=SECRET_FILE,
        description="file holding the SecretKey")
    sdk_app_id: str = Field(min_length=1, description="the SMS application's SdkAppId")
    sign_name: str = Field(min_length=1, description="the approved SMS signature (签名)")
    templates: dict[str, str] = Field(description="message kind -> approved template id")
    template_params: list[str] = Field(
        default_factory=lambda: ["code", "tracking", "deadline"],
        description="values of the template's {1}, {2}, ... in order: code, tracking, unit, deadline, qr, link,"
                    " count, carriers, places",
    )
    template_params_by_kind: dict[str, list[str]] = Field(
        default_factory=dict,
        description="message kind -> its template's values in order, where it differs from template_params"
                    " (e.g. the 'stored' template with the pickup link: [code, tracking, deadline, qr])",
    )
    param_max_chars: int = Field(35, ge=6, le=500, description=PARAM_MAX_FORM + " (set it to your template's)")
    endpoint: str = Field("https://sms.tencentcloudapi.com/", description="API address")
    region: str = Field("ap-guangzhou", description="API region")


class TwilioSmsChannel(_Channel):
    kind: Literal["sms-twilio"] = Field(description="channel type")
    account_sid: str = Field(pattern=r"^AC[0-9a-fA-F]{32}$", description="Twilio Account SID")
    auth_token_file: str = Field(min_length=1, json_schema_extra=SECRET_FILE,
        description="file holding the auth token")
    from_number: str = Field(pattern=r"^\+\d{6,15}$", description="the sending number, with +country code")
    endpoint: str = Field("https://api.twilio.com", description="API address")
    country_code: str = Field("", pattern=r"^(\d{1,3})?$",
        description="calling code for numbers stored without +, e.g. 852 (empty: the country of site.holiday_calendar;"
                    " such numbers are not sent when it is not known)")


class GsmModemChannel(_Channel):
    kind: Literal["gsm-modem"] = Field(description="channel type")
    port: str = Field(min_length=1, description="/dev/ttyUSB2, /dev/serial/by-id/..., or socket://host:port")
    baud: int = Field(115200, description="serial speed")
    pin_file: str = Field("", json_schema_extra=SECRET_FILE,
        description="file with the SIM PIN, if the SIM has one")
    country_code: str = Field("", pattern=r"^(\d{1,3})?$",
        description="calling code for numbers stored without +, e.g. 852 (empty: the country of site.holiday_calendar,"
                    " 86 when that is not known)")


#: calling codes of the countries a site's holiday_calendar may name (its first two letters): a number stored
#: without + ("9234 5678" in a Hong Kong resident list) is sent with the site's own (trial39: a Hong Kong site's
#: modem sent to +86 9234 5678)
CALLING_CODES: dict[str, str] = {
    "CN": "86", "HK": "852", "MO": "853", "TW": "886", "SG": "65", "MY": "60", "TH": "66", "VN": "84", "PH": "63",
    "ID": "62", "JP": "81", "KR": "82", "IN": "91", "AE": "971", "AU": "61", "NZ": "64", "GB": "44", "IE": "353",
    "DE": "49", "FR": "33", "NL": "31", "BE": "32", "LU": "352", "AT": "43", "CH": "41", "IT": "39", "ES": "34",
    "PT": "351", "SE": "46", "NO": "47", "DK": "45", "FI": "358", "PL": "48", "CZ": "420", "US": "1", "CA": "1",
    "MX": "52", "BR": "55",
}


def site_country_code(holiday_calendar: str) -> str | None:
    """The calling code of the site's country (from its holiday calendar: "HK" -> 852, "DE-BY" -> 49); None when
    the calendar names no country this table knows."""
    return CALLING_CODES.get(holiday_calendar[:2].upper())


class SmtpChannel(_Channel):
    kind: Literal["smtp"] = Field(description="channel type")
    host: str = Field(min_length=1, description="mail server")
    port: int = Field(587, ge=1, le=65535, description="mail server port")
    starttls: bool = Field(True, description="upgrade the connection with STARTTLS")
    ssl: bool = Field(False, description="TLS from the start (port 465)")
    username: str = Field("", description="login name (empty: no login)")
    password_file: str = Field("", json_schema_extra=SECRET_FILE,
        description="file holding the login password")
    from_addr: str = Field(min_length=3, description="sender address")


ChannelConfig = Annotated[
    HqChannel | SimChannel | WebhookChannel | AliyunSmsChannel | TencentSmsChannel | TwilioSmsChannel
    | GsmModemChannel | SmtpChannel,
    Field(discriminator="kind"),
]


class NotifyConfig(_Strict):
    channels: list[ChannelConfig] = Field(
        default_factory=list, description="tried in order; none given: hq (and the simulator's gateway)"
    )
    retry_first_s: float = Field(30, gt=0, description="first retry after this; doubles each attempt")
    retry_max_s: float = Field(900, gt=0, description="longest wait between two attempts")
    jitter: float = Field(0.2, ge=0, le=1, description="each wait is spread by this fraction, at random")
    expire_hours: float = Field(72, gt=0, description="a message not delivered by then is marked failed")
    batch: int = Field(20, ge=1, le=500, description="messages sent per pass")
    merge_window_s: float = Field(
        60, ge=0, le=900,
        description="moved, collected and (codes shared per unit) stored messages wait this long, so that one"
                    " message tells a resident of several parcels (0: off; ADR 0043)")
    quiet_hours: str = Field(
        "21:30-08:00",
        description="site local time, HH:MM-HH:MM, may run past midnight: reminders, overdue, notice, moved,"
                    " disposed, storage-fee and tracking-problem messages wait for the end (one whose deadline or"
                    " fee start falls before it goes at once); arrival, collection and new-code messages go at"
                    " once (empty: no quiet hours; ADR 0043)")

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, v: str) -> str:
        from edge.config import desk_hours_text  # edge.config imports this module: not at load
        from edge.notify.timing import quiet_range

        quiet_range(v)  # raises ValueError naming the expected form
        return desk_hours_text(v)
