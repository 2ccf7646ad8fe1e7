"""docs/config.md is generated from the config models and must not drift from them."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from edge import configdoc
from edge.config import SiteConfig

DOC = Path(__file__).resolve().parents[2] / "docs" / "config.md"


def test_config_doc_is_up_to_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text == configdoc.render(configdoc.intro_of(text)), (
        "docs/config.md is out of date with the config models; run: python -m edge.configdoc --write docs/config.md")


def test_every_top_level_key_and_channel_kind_is_listed() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in SiteConfig.model_fields:
        assert f"| `{name}` |" in text
    for kind in ("hq", "webhook", "sms-aliyun", "sms-tencent", "sms-twilio", "gsm-modem", "smtp"):
        assert f"[[notify.channels]] kind = {kind}`" in text


def test_check_reports_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "config.md"
    stale.write_text(DOC.read_text(encoding="utf-8").replace("| `pulse_ms` |", "| `pulse` |"), encoding="utf-8")
    assert configdoc.main(["--check", str(stale)]) == 1
    assert configdoc.main(["--write", str(stale)]) == 0
    assert configdoc.main(["--check", str(stale)]) == 0


def test_every_key_has_a_description() -> None:
    assert configdoc.undescribed() == [], "give each of these Fields a description=..."


class _Inner(BaseModel):
    told: int = Field(1, description="has words")
    bare: int = 2
    enabled: bool = False  # generic words ("turn this on") are enough
    salt_file: str = ""  # so is "file holding the secret"


class _Outer(BaseModel):
    inner: _Inner = Field(default_factory=_Inner, description="a table")
    rows: list[_Inner] = Field(default_factory=list)


def test_a_key_without_a_description_is_caught() -> None:
    assert configdoc.undescribed(_Outer) == ["(top level).rows", "[inner].bare", "[[rows]].bare"]
