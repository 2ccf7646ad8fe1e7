"""A GSM modem whose port cannot be opened read "短信模块出错（bus /dev/ttyUSB2 is offline: cannot open /dev/ttyUSB2:
[Errno 11] Could not exclusively lock port …）" on the Chinese Messages page: the driver's English stood where the
staff's words should (trial of 2026-12-07, the modem's port held by another program). It says what is wrong first."""

from __future__ import annotations

from edge.web.console.notify_words import channel_error

HELD = ("gsm-modem: modem: bus /dev/ttyUSB2 is offline: cannot open /dev/ttyUSB2: [Errno 11] Could not exclusively"
        " lock port /dev/ttyUSB2: [Errno 11] Resource temporarily unavailable")


def test_a_modem_port_that_cannot_be_opened_is_said_in_chinese_first() -> None:
    zh = str(channel_error(HELD, "zh"))
    assert zh.startswith("GSM 短信模块：短信模块没有连接：打不开串口 <code"), zh
    assert "（拔掉了，或被其他程序占用）。详情：<code" in zh and "短信模块出错" not in zh
    assert str(channel_error("gsm-modem: modem: bus /dev/ttyUSB2 is offline", "zh")).startswith(
        "GSM 短信模块：短信模块没有连接（串口 <code")
    assert channel_error(HELD, "en") == HELD  # English keeps the driver's sentence
