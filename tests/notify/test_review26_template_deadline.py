"""An SMS template's `deadline` value is the site's local time, as the message's text says it (review26): the
stored deadline is UTC, and Aliyun/Tencent templates got it as it was ("2026-03-05 01:00" for 09:00 in China)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tests.notify.conftest import messages, wait_for
from tests.notify.test_folded_sms_templates import _template_params, aliyun_site  # noqa: F401  (fixture)
from tests.notify.test_providers import MSG


def test_the_deadline_value_is_local_time() -> None:
    assert MSG.deadline == "2026-03-05T01:00:00.000Z"
    assert replace(MSG, tz="Asia/Shanghai").params()["deadline"] == "2026-03-05 09:00"
    assert MSG.params()["deadline"] == "2026-03-05 01:00"  # no zone known: as stored


async def test_a_sent_template_gives_the_deadline_the_text_gives(aliyun_site: Any) -> None:  # noqa: F811
    site, srv = aliyun_site
    await site.deposit("SF1234567890101")
    site.clock.advance(61)
    await wait_for(lambda: srv.requests, what="the SMS")
    (sent,) = _template_params(srv)
    (row,) = await messages(site)
    said = re.search(r"(\d+)月(\d+)日 (\d\d:\d\d)", row["text"])
    assert said, row["text"]
    month, day, hhmm = said.groups()
    assert sent["deadline"].endswith(f"-{int(month):02d}-{int(day):02d} {hhmm}"), (sent, row["text"])
