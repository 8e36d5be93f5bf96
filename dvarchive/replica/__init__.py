"""The bundled replica of the board's site: realistic pages, truth records, a loopback HTTP server.

>>> site = build_site(300)                         # deterministic in (n_articles, seed)
>>> with ReplicaServer(site) as server:            # http://127.0.0.1:<free port>
...     record = site.truth(site.live_article_ids()[0], server.base_url)

``start_replica_process()`` runs ``python -m dvarchive.replica`` instead (for crawls in tests).
Fault modes are documented in :mod:`dvarchive.replica.faults`.
"""
from __future__ import annotations

from dvarchive.replica.faults import FAULTS, XSS_VECTORS, FaultPlan
from dvarchive.replica.process import ReplicaProcess, ReplicaProcessError, start_replica_process
from dvarchive.replica.server import ReplicaServer
from dvarchive.replica.site import DEFAULT_SEED, VARIATIONS, ReplicaSite, build_site

__all__ = [
    "DEFAULT_SEED", "FAULTS", "VARIATIONS", "XSS_VECTORS", "FaultPlan", "ReplicaProcess",
    "ReplicaProcessError", "ReplicaServer", "ReplicaSite", "build_site", "start_replica_process",
]
