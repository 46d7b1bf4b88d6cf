"""The deployment files parse, agree with one another and say what docs/deploy.md promises.

No container engine or cluster is needed: the Dockerfile, the compose file, the systemd unit and the
Kubernetes manifests are parsed, and what one of them fixes (the user, the port, the paths, the health
check) is checked against the others.  Building and running the image is scripts/smoke-image's job, which
.ci/run calls when an engine is reachable."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def load_all(path: Path) -> list[Any]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


@dataclass
class Instruction:
    op: str  # FROM, RUN, ENV, … upper case
    args: str  # the rest, continuation lines joined


def dockerfile(path: Path = DEPLOY / "Dockerfile") -> list[list[Instruction]]:
    """The Dockerfile's instructions, one list per stage (a stage starts at FROM)."""
    stages: list[list[Instruction]] = []
    logical = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # comments may sit inside a continued instruction
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        logical += line
        op, _, args = logical.partition(" ")
        logical = ""
        if op.upper() == "FROM":
            stages.append([])
        stages[-1].append(Instruction(op.upper(), args.strip()))
    return stages


def final(op: str) -> list[str]:
    """The arguments of every ``op`` instruction of the final stage (the image that ships)."""
    return [i.args for i in dockerfile()[-1] if i.op == op]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for args in final("ENV"):
        env.update(dict(shlex.split(pair)[0].split("=", 1) for pair in shlex.split(args) if "=" in pair))
    return env


def image_uid() -> int:
    return int(final("USER")[-1].split(":")[0])


def image_port() -> int:
    return int(final("EXPOSE")[-1].split("/")[0])


@cache
def unit(path: Path = DEPLOY / "syncbot.service") -> dict[str, list[tuple[str, str]]]:
    """A systemd unit as ``{section: [(key, value), …]}``: keys repeat (Environment=), so no dict per section."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not a unit line: {raw!r}"
        sections[current].append((key.strip(), value.strip()))
    return sections


def unit_value(section: str, key: str) -> str:
    (value,) = [v for k, v in unit()[section] if k == key]
    return value


def unit_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for k, v in unit()["Service"]:
        if k == "Environment":
            env.update(pair.split("=", 1) for pair in shlex.split(v))
    return env


def git_config_from_env(env: dict[str, str]) -> dict[str, str]:
    """What ``GIT_CONFIG_COUNT``/``GIT_CONFIG_KEY_n``/``GIT_CONFIG_VALUE_n`` give git."""
    return {
        env[f"GIT_CONFIG_KEY_{i}"]: env[f"GIT_CONFIG_VALUE_{i}"] for i in range(int(env.get("GIT_CONFIG_COUNT", 0)))
    }


def test_dockerfile_is_a_multi_stage_build_that_ships_no_build_tools() -> None:
    stages = dockerfile()
    assert len(stages) >= 2
    assert all(re.match(r"python:3\.1[1-9]-slim\b", s[0].args) for s in stages)
    # the final stage takes the built virtualenv from the build stage, and installs nothing with pip
    assert any(a.startswith("--from=build ") for a in final("COPY"))
    assert not any("pip install" in a for a in final("RUN"))
    # what the build stage copies is in the repository (the build context is its root)
    for i in stages[0]:
        if i.op == "COPY":
            *sources, _dest = i.args.split()
            assert all((ROOT / s).exists() for s in sources), i.args


def test_image_runs_as_a_non_root_user_with_git_that_trusts_the_mounted_repo() -> None:
    assert image_uid() != 0
    setup = " ".join(final("RUN"))
    assert re.search(r"apt-get install .*\bgit\b", setup)
    # /etc/gitconfig: the mounted /repo belongs to another uid
    assert "git config --system safe.directory '*'" in setup
    assert final("WORKDIR")[-1] == "/repo"


def test_image_serves_with_a_healthcheck_on_healthz() -> None:
    (check,) = final("HEALTHCHECK")
    command = json.loads(check.split("CMD", 1)[1])
    assert "/healthz" in command[-1] and "SYNCBOT_PORT" in command[-1]
    assert json.loads(final("ENTRYPOINT")[-1]) == ["syncbot"]
    assert json.loads(final("CMD")[-1]) == ["serve"]
    env = image_env()
    assert env["SYNCBOT_HOST"] == "0.0.0.0"
    assert int(env["SYNCBOT_PORT"]) == image_port() == 8080
    assert json.loads(final("VOLUME")[-1]) == [env["SYNCBOT_STATE_DIR"]]


def test_compose_mounts_the_users_repository_and_pushes() -> None:
    compose = load_all(DEPLOY / "docker-compose.yml")[0]
    service = compose["services"]["syncbot"]
    assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    # the repository holding the tracker comes from a variable the user must set; never the syncbot checkout
    repo_mounts = [v for v in service["volumes"] if v.endswith(":/repo")]
    assert repo_mounts == ["${TRACKER_REPO:?set TRACKER_REPO to the git checkout holding your tracker}:/repo"]
    assert service["environment"]["SYNCBOT_PUSH"] == "true"
    # the same user, port and state directory as the image
    assert service["user"] == f"${{TRACKER_REPO_USER:-{image_uid()}:{image_uid()}}}"
    assert service["ports"] == [f"{image_port()}:{image_port()}"]
    state = service["environment"]["SYNCBOT_STATE_DIR"]
    assert state == image_env()["SYNCBOT_STATE_DIR"]
    assert f"syncbot-state:{state}" in service["volumes"]
    # the variables are documented where a user looks
    doc = (ROOT / "docs" / "deploy.md").read_text()
    header = (DEPLOY / "docker-compose.yml").read_text()
    for variable in ("TRACKER_REPO", "TRACKER_REPO_USER"):
        assert variable in doc and f"# {variable}" in header


def test_systemd_unit_points_at_real_documentation_and_trusts_its_checkout() -> None:
    # Documentation= names a file of the checkout the install steps put at /opt/syncbot
    doc_url = unit_value("Unit", "Documentation")
    assert doc_url.startswith("file:///opt/syncbot/")
    assert (ROOT / doc_url.removeprefix("file:///opt/syncbot/")).is_file()
    install = (ROOT / "docs" / "deploy.md").read_text()
    assert re.search(r"git clone \S+ /opt/syncbot\b", install)
    # the same command as the image, from the venv the install steps create
    exec_start = shlex.split(unit_value("Service", "ExecStart"))
    assert exec_start[:2] == ["/opt/syncbot/.venv/bin/syncbot", "serve"]
    assert exec_start[exec_start.index("--port") + 1] == str(image_port())
    assert "/opt/syncbot/.venv/bin/pip install /opt/syncbot" in install
    env = unit_env()
    assert env["SYNCBOT_PUSH"] == "true"
    # the checkout belongs to another user than the dynamic one: git must be told it is safe
    checkout = unit_value("Service", "WorkingDirectory")
    assert git_config_from_env(env)["safe.directory"] == checkout
    assert checkout in unit_value("Service", "ReadWritePaths").split()
    assert int(unit_value("Service", "TimeoutStopSec")) > 60  # longer than the default shutdown grace


def test_kubernetes_manifests_agree_with_the_image() -> None:
    docs = [d for f in sorted((DEPLOY / "k8s").glob("*.yaml")) for d in load_all(f)]
    for workload in (d for d in docs if d["kind"] in ("Deployment", "CronJob")):
        spec = (
            workload["spec"]["template"]["spec"]
            if workload["kind"] == "Deployment"
            else (workload["spec"]["jobTemplate"]["spec"]["template"]["spec"])
        )
        assert spec["securityContext"]["runAsUser"] == image_uid()
        assert spec["securityContext"]["runAsNonRoot"] is True
        for container in spec["containers"]:
            mounts = {m["mountPath"] for m in container["volumeMounts"]}
            assert image_env()["SYNCBOT_STATE_DIR"] in mounts
            # a read-only root filesystem leaves /tmp to an emptyDir
            assert container["securityContext"]["readOnlyRootFilesystem"] is True and "/tmp" in mounts
            ports = [p["containerPort"] for p in container.get("ports", [])]
            assert ports in ([], [image_port()])
            probe = container.get("livenessProbe")
            if probe:
                assert probe["httpGet"]["path"] == "/healthz"


def test_ci_smoke_tests_the_image_only_where_an_engine_answers() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./scripts/test" in ci
    assert re.search(r"for candidate in docker podman", ci) and '"$candidate" info' in ci
    assert './scripts/smoke-image "$engine"' in ci and "skipped" in ci
    smoke = (ROOT / "scripts" / "smoke-image").read_text()
    assert "-f deploy/Dockerfile" in smoke and "/healthz" in smoke


def test_run_installs_the_runtime_and_test_adds_the_test_extra() -> None:
    run = (ROOT / "scripts" / "run").read_text()
    test = (ROOT / "scripts" / "test").read_text()
    assert re.search(r"^\./scripts/bootstrap$", run, re.M)
    assert re.search(r"^\./scripts/bootstrap test$", test, re.M)


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


def readme_block(after: str, lang: str) -> str:
    """The first ``lang`` code block of the README after the line ``after``."""
    text = (ROOT / "README.md").read_text()
    start = text.index(after)
    return text[start:].split(f"```{lang}\n", 1)[1].split("```", 1)[0]


def test_readme_action_in_five_lines_is_a_workflow_that_can_write_back() -> None:
    block = readme_block("### The GitHub Action, in five lines", "yaml")
    assert len(block.strip().splitlines()) <= 6  # five lines of substance, `sync:` is the sixth
    workflow = yaml.safe_load(block)
    assert {"push", "issues", "schedule"} <= set(workflow[True])  # YAML 1.1 reads `on` as true
    assert workflow["permissions"] == {"contents": "write", "issues": "write"}
    checkout, action = workflow["jobs"]["sync"]["steps"]
    assert checkout["with"]["fetch-depth"] == 0  # trailers are read from history
    assert action["uses"].endswith("/syncbot@v1")
    assert set(action["with"]) <= set(load_all(ROOT / "action.yml")[0]["inputs"])


def test_readme_token_permissions_are_the_ones_the_docs_name() -> None:
    block = (ROOT / "README.md").read_text().split("fine-grained personal access token", 1)[1]
    for permission in ("| Issues | Read and write |", "| Contents | Read and write |", "| Metadata | Read |"):
        assert permission in block


def test_every_variable_the_deployment_files_and_docs_set_is_a_setting() -> None:
    from syncbot.settings import unknown_variables

    files = [p for p in DEPLOY.rglob("*") if p.is_file()]
    files += [ROOT / "action.yml", ROOT / ".env.example", ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    for path in files:
        # (a GitHub secret's name, `secrets.SYNCBOT_…`, is the workflow's, not a variable syncbot reads)
        names = set(re.findall(r"(?<!secrets\.)\bSYNCBOT_[A-Z0-9_]*[A-Z0-9]\b", path.read_text()))
        names.discard("SYNCBOT_FORGEE")  # the docs' own example of a misspelt variable
        assert unknown_variables(names) == [], path


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    # systemd's own parser: every directive known, every value valid.  The venv is not installed here, so
    # ExecStart points at a stand-in with the same arguments.
    stub = tmp_path / "syncbot"
    stub.write_text("#!/bin/sh\n")
    stub.chmod(0o755)
    unit_file = tmp_path / "syncbot.service"
    unit_file.write_text((DEPLOY / "syncbot.service").read_text().replace("/opt/syncbot/.venv/bin/syncbot", str(stub)))
    proc = subprocess.run(
        ["systemd-analyze", "verify", str(unit_file)], capture_output=True, text=True, timeout=60, check=False
    )
    assert (proc.returncode, proc.stderr) == (0, "")
