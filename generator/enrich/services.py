"""The two services, opened together with their politeness and one on-disk cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.enrich import DEFAULT_CACHE
from generator.enrich.arxiv import Arxiv
from generator.enrich.http import Politeness, PoliteTransport, ResponseCache
from generator.enrich.hub import Hub, hub_client
from generator.enrich.records import ARXIV, HUB, Endpoints, user_agent_for



@dataclass(frozen=True)
class Network:
    """How the commands that reach the services behave: one typed settings object."""

    endpoints: Endpoints = field(default_factory=Endpoints)
    hub: Politeness = Politeness(interval=0.5)
    arxiv: Politeness = Politeness(interval=3.0)
    """arXiv asks for no more than one request every 3 seconds."""
    cache: Path | None = DEFAULT_CACHE
    """None: no cache at all."""
    refresh: bool = False
    """Ask again even for what is cached."""
    user_agent: str = field(default_factory=lambda: user_agent_for(""))
    """Who asks: arXiv wants a way to reach whoever runs the requests."""


@dataclass
class Services:
    hub: Hub
    arxiv: Arxiv

    def usage(self) -> str:
        """`the Hugging Face Hub: 3 requests, 2 from the cache; arXiv: ...`"""
        parts = []
        for name, transport in ((HUB, self.hub.transport), (ARXIV, self.arxiv.transport)):
            parts.append(f"{name}: {transport.stats.requests} requests, "
                         f"{transport.stats.cached} answered from the cache")
        return "; ".join(parts)


@contextmanager
def open_services(network: Network, today: dt.date) -> Iterator[Services]:
    """Both clients, each with its own rate limit, sharing the cache; closed on exit.
    `today` is the day of the run: no record may be dated after it."""
    cache = ResponseCache(network.cache, refresh=network.refresh) if network.cache else None
    hub_transport = PoliteTransport(HUB, network.hub, cache, origin=network.endpoints.hub)
    arxiv_transport = PoliteTransport(ARXIV, network.arxiv, cache, origin=network.endpoints.arxiv)
    arxiv = Arxiv(network.endpoints.arxiv, arxiv_transport, today, network.user_agent)
    try:
        with hub_client(hub_transport):
            yield Services(Hub(network.endpoints.hub, hub_transport, today), arxiv)
    finally:
        arxiv.close()
