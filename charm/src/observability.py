"""The optional `metrics-endpoint` (prometheus_scrape) and `ingress` relations.

Both are written from their documented databag formats, without the
Charmhub libraries this machine cannot fetch:

- prometheus_scrape, provider side: the leader writes `scrape_jobs` (a JSON
  list of Prometheus scrape configs whose target `*:PORT` stands for every
  unit) and `scrape_metadata` (the Juju topology); each unit writes
  `prometheus_scrape_unit_address` and `prometheus_scrape_unit_name`.
- ingress (v2), requirer side: the leader writes `model`, `name`, `port`,
  `strip-prefix`, `redirect-https` and `scheme`, each JSON-encoded; each
  unit writes `host` and `ip`. The provider answers `ingress`, a JSON object
  with the `url`.
"""

from __future__ import annotations

import json

import ops

METRICS = "metrics-endpoint"
INGRESS = "ingress"


def scrape_jobs(port: int) -> list[dict[str, object]]:
    """One job: `/metrics` of every unit on the service's port."""
    return [{"metrics_path": "/metrics", "static_configs": [{"targets": [f"*:{port}"]}]}]


def publish_metrics(charm: ops.CharmBase, port: int, address: str | None) -> None:
    """Tell Prometheus where to scrape, on every metrics-endpoint relation."""
    for relation in charm.model.relations[METRICS]:
        unit_data = relation.data[charm.unit]
        unit_data["prometheus_scrape_unit_name"] = charm.unit.name
        if address:
            unit_data["prometheus_scrape_unit_address"] = address
        if not charm.unit.is_leader():
            continue
        metadata = {
            "model": charm.model.name,
            "model_uuid": charm.model.uuid,
            "application": charm.app.name,
            "charm_name": charm.meta.name,
        }
        app_data = relation.data[charm.app]
        app_data["scrape_jobs"] = json.dumps(scrape_jobs(port))
        app_data["scrape_metadata"] = json.dumps(metadata)


def publish_ingress(charm: ops.CharmBase, port: int, address: str | None) -> None:
    """Ask the ingress provider to route to this application's port."""
    for relation in charm.model.relations[INGRESS]:
        if address:
            relation.data[charm.unit]["host"] = json.dumps(address)
            relation.data[charm.unit]["ip"] = json.dumps(address)
        if not charm.unit.is_leader():
            continue
        relation.data[charm.app].update(
            {
                "model": json.dumps(charm.model.name),
                "name": json.dumps(charm.app.name),
                "port": json.dumps(port),
                "strip-prefix": json.dumps(False),
                "redirect-https": json.dumps(False),
                "scheme": json.dumps("http"),
            }
        )


def ingress_url(charm: ops.CharmBase) -> str | None:
    """The URL the ingress provider gave, if any."""
    for relation in charm.model.relations[INGRESS]:
        if relation.app is None:
            continue
        raw = relation.data[relation.app].get("ingress")
        if not raw:
            continue
        try:
            url = json.loads(raw).get("url")
        except (ValueError, AttributeError):
            continue
        if isinstance(url, str):
            return url
    return None
