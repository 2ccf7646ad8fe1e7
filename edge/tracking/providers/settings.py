"""Settings of the provider callbacks (`[tracking.providers]`). Secrets may sit in a file named by
`*_file` (kept out of the site config), which wins over an inline value."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _secret(inline: str, file: str) -> str:
    if file:
        try:
            return Path(file).read_text(encoding="utf-8").strip()
        except OSError:
            return ""
    return inline


class Kuaidi100Push(_Strict):
    enabled: bool = False
    salt: str = Field("", repr=False, description="the salt given when subscribing")
    salt_file: str = ""

    def secret(self) -> str:
        return _secret(self.salt, self.salt_file)


class KdniaoPush(_Strict):
    enabled: bool = False
    ebusiness_id: str = ""
    app_key: str = Field("", repr=False)
    app_key_file: str = ""

    def secret(self) -> str:
        return _secret(self.app_key, self.app_key_file)


class Track17Push(_Strict):
    enabled: bool = False
    key: str = Field("", repr=False, description="the 17TRACK security key")
    key_file: str = ""

    def secret(self) -> str:
        return _secret(self.key, self.key_file)


class ProvidersSettings(_Strict):
    kuaidi100: Kuaidi100Push = Field(default_factory=Kuaidi100Push)
    kdniao: KdniaoPush = Field(default_factory=KdniaoPush)
    track17: Track17Push = Field(default_factory=Track17Push)
    max_body_bytes: int = Field(1_000_000, gt=0, description="a larger push is refused (413)")
    rate_per_s: float = Field(20, gt=0, description="pushes per second taken at once, per provider")
    burst: int = Field(200, gt=0, description="pushes above the rate taken in a burst before 'busy, retry'")
    max_queued: int = Field(20_000, gt=0, description="queued pushes before new ones are asked to retry")
    keep_days: int = Field(30, gt=0, description="remember pushes (replay protection) this long")
