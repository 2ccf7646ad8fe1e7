"""Settings of the web server's hardening (site config section ``[web]``).

Who may reach the HTTP port and how much each may cost: proxies whose forwarding headers are believed,
host names the server answers to, kiosks identified by token, request-body limits, connection timeouts
and the connection cap. Every default is safe for a kiosk Pi serving its own loopback browser.
"""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, ConfigDict, Field, field_validator

from edge.secret_files import SECRET_FILE


class KioskToken(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$", description="the kiosk's name in audits and lockouts")
    token_file: str = Field(json_schema_extra=SECRET_FILE,
                            description="file holding the kiosk's token (at least 24 characters, mode 0600)")


class WebConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For/-Proto are believed;"
        " empty = none, the TCP peer is the client",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="host names (besides IP literals, localhost and single-label LAN names) the server answers;"
        " '*.example.com' matches subdomains",
    )
    kiosks: list[KioskToken] = Field(
        default_factory=list,
        description="kiosks that connect from another machine, each with its own token; the loopback browser"
        " needs none",
    )
    docs: bool = Field(True, description="serve /docs (rendered from the package, no CDN) and /openapi.json")
    max_body_bytes: int = Field(1024 * 1024, ge=1024, description="request-body limit for console and other routes")
    max_upload_bytes: int = Field(
        5 * 1024 * 1024, ge=1024, description="body limit of import/upload routes (the CSRF form reader's own cap)"
    )
    kiosk_body_bytes: int = Field(16 * 1024, ge=1024, description="body limit of the kiosk and simulator JSON API")
    header_timeout_s: float = Field(10, gt=0, le=300, description="a connection must send its request headers within")
    body_timeout_s: float = Field(30, gt=0, le=3600, description="a request body must arrive in full within")
    keepalive_timeout_s: float = Field(5, gt=0, le=300, description="an idle kept-alive connection is closed after")
    max_connections: int = Field(
        900, ge=8, description="open connections at most (also kept below the process's file limit)"
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _nets(cls, v: list[str]) -> list[str]:
        for item in v:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError as exc:
                raise ValueError(f"not an address or network: {item!r}") from exc
        return v
