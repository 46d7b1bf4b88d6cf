"""The replica deployment files (several `syncbot serve` on one PostgreSQL), checked as structure: the
Kubernetes manifests in deploy/k8s/replicas/, deploy/docker-compose.replicas.yml, the image's postgres
extra.  No cluster, container engine or database needed."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from test_deploy import DEPLOY, ROOT, dockerfile, image_env, image_port, image_uid, load_all

REPLICAS = DEPLOY / "k8s" / "replicas"
COMPOSE = DEPLOY / "docker-compose.replicas.yml"


def _manifests() -> list[dict[str, Any]]:
    return [d for f in sorted(REPLICAS.glob("*.yaml")) for d in load_all(f)]


def _env(container: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container.get("env", [])}


def test_kubernetes_runs_two_replicas_on_the_database_secret() -> None:
    docs = _manifests()
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    secret = next(d for d in docs if d["kind"] == "Secret")
    assert deployment["spec"]["replicas"] == 2
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsUser"] == image_uid() and pod["securityContext"]["runAsNonRoot"] is True
    assert pod["terminationGracePeriodSeconds"] > 60
    url_ref = {"secretKeyRef": {"name": secret["metadata"]["name"], "key": "url"}}
    (migrate,) = pod["initContainers"]
    assert migrate["args"] == ["db", "migrate"] and _env(migrate)["SYNCBOT_DATABASE_URL"] == url_ref
    (container,) = pod["containers"]
    assert container["args"] == ["serve"]
    env = _env(container)
    assert env["SYNCBOT_DATABASE_URL"] == url_ref
    assert env["SYNCBOT_STATE_DIR"] == image_env()["SYNCBOT_STATE_DIR"]
    assert [p["containerPort"] for p in container["ports"]] == [image_port()]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    for c in (migrate, container):
        assert c["securityContext"]["readOnlyRootFilesystem"] is True
        assert "/tmp" in {m["mountPath"] for m in c["volumeMounts"]}
    pdb = next(d for d in docs if d["kind"] == "PodDisruptionBudget")
    assert pdb["spec"]["minAvailable"] == 1
    assert pdb["spec"]["selector"] == deployment["spec"]["selector"]
    url = urlsplit(secret["stringData"]["url"])
    assert url.scheme == "postgresql" and url.hostname and url.path == "/syncbot"


def test_compose_runs_postgres_a_migration_and_two_replicas() -> None:
    services = load_all(COMPOSE)[0]["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert services["migrate"]["command"] == ["db", "migrate"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    replicas = [s for name, s in services.items() if name.startswith("syncbot")]
    assert len(replicas) == 2
    urls = {s["environment"]["SYNCBOT_DATABASE_URL"] for s in replicas}
    assert len(urls) == 1 and urlsplit(re.sub(r"\$\{[^}]*\}", "pw", urls.pop())).hostname == "postgres"
    for s in replicas:
        assert s["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
        assert s["environment"]["SYNCBOT_WRITE_BACK"] == "api"  # no shared checkout between replicas
        assert s["build"]["dockerfile"] == "deploy/Dockerfile"
    assert len({p for s in replicas for p in s["ports"]}) == 2


def test_the_image_carries_the_postgres_extra() -> None:
    build = dockerfile()[0]
    assert any(i.op == "RUN" and '".[postgres]"' in i.args for i in build)


def test_deploy_doc_covers_the_replica_files() -> None:
    doc = (ROOT / "docs" / "deploy.md").read_text()
    for name in ("k8s/replicas/deployment.yaml", "k8s/replicas/secret.example.yaml", "docker-compose.replicas.yml"):
        assert name in doc, name
    assert "syncbot db migrate" in doc and "SYNCBOT_DATABASE_URL" in doc
