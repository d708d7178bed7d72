"""The optional metrics-endpoint (prometheus_scrape) and ingress relations."""

from __future__ import annotations

import dataclasses
import json

import pytest
from ops import testing

from conftest import Harness


@pytest.mark.parametrize("leader", [True, False])
def test_metrics_endpoint_publishes_the_scrape_job_on_the_port(harness: Harness, leader: bool) -> None:
    relation = testing.Relation("metrics-endpoint", "prometheus_scrape", remote_app_name="prometheus")
    state = harness.state(leader=leader, relations={relation}, config={"port": 9000})

    out = harness.ctx.run(harness.ctx.on.relation_joined(relation, remote_unit=0), state)

    published = out.get_relation(relation.id)
    assert published.local_unit_data["prometheus_scrape_unit_name"] == "ticketd/0"
    assert published.local_unit_data["prometheus_scrape_unit_address"] == "192.0.2.0"
    if not leader:
        assert published.local_app_data == {}  # only the leader writes the application's data
        return
    assert json.loads(published.local_app_data["scrape_jobs"]) == [
        {"metrics_path": "/metrics", "static_configs": [{"targets": ["*:9000"]}]}
    ]
    metadata = json.loads(published.local_app_data["scrape_metadata"])
    assert metadata["application"] == "ticketd"
    assert metadata["charm_name"] == "ticketd"


def test_the_status_says_when_prometheus_cannot_scrape(harness: Harness) -> None:
    relation = testing.Relation("metrics-endpoint", "prometheus_scrape", remote_app_name="prometheus")
    state = harness.state(leader=True, relations={relation}, config={"anonymous_read": False})
    out = harness.ctx.run(harness.ctx.on.relation_joined(relation, remote_unit=0), state)
    assert out.unit_status == testing.ActiveStatus(
        "serving on SQLite (this unit's own database), port 8000; Prometheus cannot scrape /metrics: "
        "it needs a token while anonymous_read is false"
    )


def test_ingress_asks_for_the_port_and_shows_the_url_it_got(harness: Harness) -> None:
    relation = testing.Relation("ingress", "ingress", remote_app_name="haproxy")
    first = harness.ctx.run(
        harness.ctx.on.relation_joined(relation, remote_unit=0),
        harness.state(leader=True, relations={relation}),
    )

    sent = first.get_relation(relation.id)
    assert json.loads(sent.local_app_data["port"]) == 8000
    assert json.loads(sent.local_app_data["name"]) == "ticketd"
    assert json.loads(sent.local_unit_data["host"]) == "192.0.2.0"

    answered = dataclasses.replace(
        sent, remote_app_data={"ingress": json.dumps({"url": "http://tickets.example/ticketd"})}
    )
    state = dataclasses.replace(
        first, relations={*(r for r in first.relations if r.id != relation.id), answered}
    )
    out = harness.ctx.run(harness.ctx.on.relation_changed(answered, remote_unit=0), state)
    assert out.unit_status == testing.ActiveStatus(
        "serving on SQLite (this unit's own database), port 8000; ingress http://tickets.example/ticketd"
    )
