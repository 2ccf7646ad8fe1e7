"""`lockerd openapi`: print the HTTP API's OpenAPI document (docs/openapi.json is made with it)."""

from __future__ import annotations

import argparse
import json
import tempfile


def spec() -> dict:
    from edge.cli.simulate import SIM_PROFILE
    from edge.clock import SimClock
    from edge.config import load_config
    from edge.daemon import Daemon
    from edge.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        daemon = Daemon(load_config(SIM_PROFILE), clock=SimClock(), data_dir=tmp, simulated=True)
        return create_app(daemon).openapi()


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("openapi", help="print the OpenAPI document of the HTTP API")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print(json.dumps(spec(), indent=2, ensure_ascii=False, sort_keys=True))
    return 0
