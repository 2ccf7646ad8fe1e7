"""Settings of the provider callbacks (`[tracking.providers]`). Secrets may sit in a file named by
`*_file` (kept out of the site config), which wins over an inline value."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from edge.secret_files import SECRET_FILE, SECRET_INLINE, secret_value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Kuaidi100Push(_Strict):
    enabled: bool = False
    salt: str = Field("", repr=False, json_schema_extra=SECRET_INLINE,
                      description="the salt given when subscribing, inline (check-config warns: use salt_file)")
    salt_file: str = Field("", json_schema_extra=SECRET_FILE, description="file holding the salt (mode 0600, wins over"
                                                                        " salt)")

    def secret(self) -> str:
        return secret_value(self.salt, self.salt_file, "tracking.providers.kuaidi100.salt_file")


class KdniaoPush(_Strict):
    enabled: bool = False
    ebusiness_id: str = Field("", description="the Kdniao EBusinessID (user ID), echoed in the answers to its"
                                              " pushes")
    app_key: str = Field("", repr=False, json_schema_extra=SECRET_INLINE,
                         description="the Kdniao AppKey, inline (check-config warns: use app_key_file)")
    app_key_file: str = Field("", json_schema_extra=SECRET_FILE,
                              description="file holding the AppKey (mode 0600, wins over app_key)")

    def secret(self) -> str:
        return secret_value(self.app_key, self.app_key_file, "tracking.providers.kdniao.app_key_file")


class Track17Push(_Strict):
    enabled: bool = False
    key: str = Field("", repr=False, json_schema_extra=SECRET_INLINE,
                     description="the 17TRACK security key, inline (check-config warns: use key_file)")
    key_file: str = Field("", json_schema_extra=SECRET_FILE,
                          description="file holding the security key (mode 0600, wins over key)")

    def secret(self) -> str:
        return secret_value(self.key, self.key_file, "tracking.providers.track17.key_file")


class ProvidersSettings(_Strict):
    kuaidi100: Kuaidi100Push = Field(default_factory=Kuaidi100Push,
                                     description="Kuaidi100 pushes at POST /api/v1/tracking/push/kuaidi100")
    kdniao: KdniaoPush = Field(default_factory=KdniaoPush,
                               description="Kdniao pushes at POST /api/v1/tracking/push/kdniao")
    track17: Track17Push = Field(default_factory=Track17Push,
                                 description="17TRACK webhooks at POST /api/v1/tracking/push/17track")
    max_body_bytes: int = Field(1_000_000, gt=0, description="a larger push is refused (413)")
    rate_per_s: float = Field(20, gt=0, description="pushes per second taken at once, per provider")
    burst: int = Field(200, gt=0, description="pushes above the rate taken in a burst before 'busy, retry'")
    max_queued: int = Field(20_000, gt=0, description="queued pushes before new ones are asked to retry")
    keep_days: int = Field(30, gt=0, description="remember pushes (replay protection) this long")
