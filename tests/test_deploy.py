"""The deployment files parse and say what docs/deploy.md promises (no Docker or cluster needed)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def load_all(path: Path) -> list[Any]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def test_dockerfile_is_slim_non_root_with_healthcheck() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.M)
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and not user[-1].startswith(("root", "0"))
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert 'CMD ["serve"]' in text


def test_kubernetes_manifests() -> None:
    docs = [d for f in sorted((DEPLOY / "k8s").glob("*.yaml")) for d in load_all(f)]
    kinds = {d["kind"] for d in docs}
    assert {"Deployment", "Service", "Secret", "CronJob", "ConfigMap"} <= kinds
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["args"] == ["serve"]
    config = next(d for d in docs if d["kind"] == "ConfigMap")
    assert config["data"]["SYNCBOT_WRITE_BACK"] == "api"  # no clone in the pod
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["terminationGracePeriodSeconds"] > 60  # longer than the default shutdown grace
    cron = next(d for d in docs if d["kind"] == "CronJob")
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    (job,) = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert job["args"] == ["sync"]


def test_compose_and_ci_templates() -> None:
    compose = load_all(DEPLOY / "docker-compose.yml")[0]
    assert compose["services"]["syncbot"]["build"]["dockerfile"] == "deploy/Dockerfile"
    gitlab = load_all(DEPLOY / "gitlab-ci.yml")[0]
    assert "syncbot sync" in gitlab["syncbot:sync"]["script"]
    workflow = load_all(DEPLOY / "github-workflow-example.yml")[0]
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert {"push", "issues", "schedule"} <= set(triggers)


def test_action_is_composite_and_keeps_inputs_out_of_scripts() -> None:
    action = load_all(ROOT / "action.yml")[0]
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert any("syncbot sync" in s.get("run", "") for s in steps)
    for step in steps:
        assert "${{" not in step.get("run", ""), "inputs go through env, not into the script"
    assert set(action["inputs"]) >= {"tracker", "token", "dry-run"}


def test_deploy_doc_covers_every_file() -> None:
    doc = (ROOT / "docs" / "deploy.md").read_text()
    for name in [
        "Dockerfile",
        "docker-compose.yml",
        "syncbot.service",
        "deployment.yaml",
        "service.yaml",
        "secret.example.yaml",
        "cronjob.yaml",
        "action.yml",
        "github-workflow-example.yml",
        "gitlab-ci.yml",
    ]:
        assert name in doc, name
