"""Secrets named by file (`*_file`): check-config warns about inline ones and refuses unusable files,
the parts read the files, and no secret's value reaches the output or the log."""

from __future__ import annotations

import logging
import os
import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from edge.cli.main import main
from edge.config import SiteConfig, parse_config
from edge.secret_files import MARK, SecretFileError, read_secret_file, secret_value

SECRET = "S3CRET-do-not-print"
HEAD = '''config_version = 1
data_dir = "{data}"

[site]
id = "s1"

[[banks]]
id = "A"
driver = "sim"

[[banks.compartments]]
id = "A-01"
size = "S"
height_cm = 50
'''


def _check(tmp_path: Path, body: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    cfg = tmp_path / "site.toml"
    cfg.write_text(HEAD.format(data=tmp_path / "data") + body, encoding="utf-8")
    rc = main(["check-config", str(cfg)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert SECRET not in text
    return rc, text


def _secret_file(path: Path, mode: int = 0o600, text: str = SECRET) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(mode)
    return path


INLINE = f'''
[[alerts.robots]]
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=t"
name = "desk"
secret = "{SECRET}"

[[cloud.sync.webhooks]]
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=u"
secret = "{SECRET}"

[tracking.poller]
key = "{SECRET}"
'''


def test_inline_secrets_are_warned_about_by_key_and_never_printed(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    rc, text = _check(tmp_path, INLINE, capsys)
    assert rc == 0, text
    for key in ("alerts.robots[desk].secret", "cloud.sync.webhooks[0].secret", "tracking.poller.key"):
        assert f"warning: {key} holds a secret inline" in text and f"{key}_file" in text


def test_secret_files_that_are_fine_pass_without_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          known_calendar_day: None) -> None:
    _secret_file(tmp_path / "data" / "robot.secret")  # relative: from the data dir
    _secret_file(tmp_path / "etc" / "poller.key", 0o640)  # root:lockerd 0640, as install.sh leaves /etc/lockerd
    body = f'''
[[alerts.robots]]
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=t"
secret_file = "robot.secret"

[tracking.poller]
key_file = "{tmp_path / 'etc' / 'poller.key'}"
'''
    rc, text = _check(tmp_path, body, capsys)
    assert rc == 0 and "warning" not in text and ": OK (" in text, text


@pytest.mark.parametrize("case", ["missing", "too_open", "group_writable", "empty", "directory", "unreadable"])
def test_an_unusable_secret_file_is_an_error_naming_key_path_and_fix(tmp_path: Path, case: str,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "data" / "w.secret"
    expect = {"missing": "does not exist", "too_open": "is open to other users (mode 0644)",
              "group_writable": "is open to its group (mode 0660)", "empty": "is empty",
              "directory": "is not a file", "unreadable": "cannot be read by this user"}[case]
    if case == "too_open":
        _secret_file(path, 0o644)
    elif case == "group_writable":
        _secret_file(path, 0o660)
    elif case == "empty":
        _secret_file(path, text="")
    elif case == "directory":
        path.mkdir(parents=True)
    elif case == "unreadable":
        if os.geteuid() == 0:
            pytest.skip("root reads any file")
        _secret_file(path, 0o000)
    body = f'''
[[cloud.sync.webhooks]]
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=u"
name = "hq"
secret_file = "{path}"
'''
    rc, text = _check(tmp_path, body, capsys)
    assert rc == 1, text
    assert f"cloud.sync.webhooks[hq].secret_file: {path} {expect}" in text, text
    if case.endswith(("open", "writable")):
        assert f"chmod 0600 {path}" in text
    assert "Traceback" not in text


def test_every_unusable_file_is_reported_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = '''
[tracking.poller]
key_file = "nope.key"

[tracking.providers.kuaidi100]
salt_file = "/nonexistent/salt"

[[notify.channels]]
kind = "smtp"
host = "mail.example.cn"
from_addr = "a@b.cn"
password_file = "smtp.secret"
'''
    rc, text = _check(tmp_path, body, capsys)
    assert rc == 1 and "3 problem(s)" in text, text
    for key in ("tracking.poller.key_file", "tracking.providers.kuaidi100.salt_file",
                "notify.channels[0].password_file"):
        assert key in text


def test_the_file_wins_and_a_broken_one_is_logged_once_without_the_secret(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    good = _secret_file(tmp_path / "k")
    assert read_secret_file("k", tmp_path) == SECRET
    assert secret_value("inline", str(good), "x.key_file") == SECRET
    assert secret_value("inline", "", "x.key_file") == "inline"
    caplog.set_level(logging.ERROR)
    loose = _secret_file(tmp_path / "loose", 0o604)
    assert secret_value("inline", str(loose), "y.key_file") == ""
    assert secret_value("inline", str(loose), "y.key_file") == ""
    errors = [r for r in caplog.records if "y.key_file" in r.getMessage()]
    assert len(errors) == 1 and SECRET not in caplog.text and "inline" not in caplog.text
    with pytest.raises(SecretFileError, match="0604"):
        read_secret_file(str(loose))


def _cfg(extra: dict[str, Any], tmp_path: Path) -> SiteConfig:
    return parse_config({"site": {"id": "s1"}, "data_dir": str(tmp_path),
                         "banks": [{"id": "A", "driver": "sim", "compartments": [{"id": "A-01", "size": "S"}]}],
                         **extra})


def test_the_parts_read_their_secret_files(tmp_path: Path) -> None:
    from edge.alerts.component import AlertsComponent
    from edge.alerts.texts import build_request
    from edge.clock import SimClock
    from edge.tracking.settings import TrackingSettings

    _secret_file(tmp_path / "robot.secret")
    cfg = _cfg({"alerts": {"robots": [{"kind": "dingtalk", "url": "https://x/send?access_token=t",
                                        "secret_file": "robot.secret"}]},
                "cloud": {"sync": {"webhooks": [{"kind": "dingtalk", "url": "https://y/send", "secret": "old",
                                                 "secret_file": str(tmp_path / "robot.secret")}]}}}, tmp_path)
    robots = AlertsComponent(cfg, None, SimClock()).service.robots  # type: ignore[arg-type]
    assert [r.secret for r in robots] == [SECRET, SECRET]
    url, _ = build_request(robots[0], "s1", {}, "hi")
    assert "&sign=" in url
    assert SECRET not in repr(robots)

    _secret_file(tmp_path / "poll.key")
    t = TrackingSettings.model_validate({"poller": {"key": "old", "key_file": str(tmp_path / "poll.key")},
                                         "providers": {"track17": {"key_file": str(tmp_path / "poll.key")}}})
    assert t.poller.secret() == SECRET and t.providers.track17.secret() == SECRET
    assert SECRET not in repr(t)


# --- every secret-looking key is marked, so check-config sees it ------------------------------------------------
SECRET_WORDS = ("secret", "password", "token", "salt", "key", "pin_file")
#: names with those words that are not secrets
NOT_SECRET = {"access_key_id", "secret_id", "ca_file", "cert_file", "command_pubkeys", "keepalive_s", "keep_days",
              "keep_phone"}


def _models(tp: Any) -> list[type[BaseModel]]:
    origin = get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    if origin is typing.Annotated:
        return _models(get_args(tp)[0])
    if origin in (list, tuple, Union, types.UnionType):
        return [m for a in get_args(tp) for m in _models(a)]
    if origin is dict:
        return _models(get_args(tp)[1])
    return []


def test_every_secret_key_of_the_config_is_marked() -> None:
    seen: set[type[BaseModel]] = set()
    unmarked: list[str] = []
    todo: list[type[BaseModel]] = [SiteConfig]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            todo += _models(field.annotation)
            extra = field.json_schema_extra
            marked = isinstance(extra, dict) and MARK in extra
            looks = any(w in name for w in SECRET_WORDS) and name not in NOT_SECRET
            if looks and not marked and field.annotation is str:
                unmarked.append(f"{model.__name__}.{name}")
            if marked and field.repr is False and name.endswith("_file"):
                unmarked.append(f"{model.__name__}.{name} (a path needs no hiding)")
    assert not unmarked, unmarked


def test_doctor_reports_secrets_as_the_user_running_it(tmp_path: Path) -> None:
    import argparse

    from edge.cli import doctor

    cfg = tmp_path / "site.toml"
    loose = _secret_file(tmp_path / "data" / "loose.secret", 0o644)
    cfg.write_text(HEAD.format(data=tmp_path / "data") + INLINE.replace(
        f'key = "{SECRET}"', f'key_file = "{loose}"') + '[scanner]\ndriver = "none"\n', encoding="utf-8")
    rows, failed = doctor.collect(argparse.Namespace(config=str(cfg), timeout=0.2, strict=False, json=True))
    secrets = [r for r in rows if r["section"] == "secrets"]
    assert failed and SECRET not in repr(rows)
    by_name = {r["name"]: r for r in secrets}
    assert not by_name["tracking.poller.key_file"]["ok"] and by_name["tracking.poller.key_file"]["required"]
    assert "mode 0644" in by_name["tracking.poller.key_file"]["detail"]
    inline = by_name["alerts.robots[desk].secret"]
    assert not inline["ok"] and not inline["required"] and "inline" in inline["detail"]
    loose.chmod(0o600)
    cfg.write_text(HEAD.format(data=tmp_path / "data") + f'[tracking.poller]\nkey_file = "{loose}"\n'
                   '[scanner]\ndriver = "none"\n', encoding="utf-8")
    rows, _ = doctor.collect(argparse.Namespace(config=str(cfg), timeout=0.2, strict=False, json=True))
    assert [(r["ok"], r["detail"]) for r in rows if r["section"] == "secrets"] == [
        (True, "1 secret file(s) readable here and closed to other users")]
