"""The TLS context of an MQTT client (a site's link, HQ's workers and dispatcher): a private CA to trust
and a client certificate to present, as brokers configured with `require_certificate` need."""

from __future__ import annotations

import ssl


class TlsFileError(ValueError):
    """A CA, certificate or key file that cannot be used; the message names the file and why."""


def client_context(ca_file: str = "", cert_file: str = "", key_file: str = "") -> ssl.SSLContext:
    """A verifying client context: the system's CAs, or `ca_file`; with `cert_file` (and `key_file`)."""
    try:
        ctx = ssl.create_default_context(cafile=ca_file or None)
    except (OSError, ssl.SSLError) as exc:
        raise TlsFileError(f"CA file {ca_file}: {getattr(exc, 'strerror', None) or exc}") from None
    if key_file and not cert_file:
        raise TlsFileError("a client key needs its certificate (--cert-file)")
    if cert_file:
        try:
            ctx.load_cert_chain(cert_file, key_file or None)
        except (OSError, ssl.SSLError) as exc:
            raise TlsFileError(f"client certificate {cert_file} / key {key_file or '(in the same file)'}: "
                               f"{getattr(exc, 'strerror', None) or exc}") from None
    return ctx
