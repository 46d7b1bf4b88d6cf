"""CI mode, run the way CI runs it.

A simulated runner executes the Action's own steps (``action.yml``: each ``run:`` step with its
``inputs``/``github`` expressions and ``env`` substituted, ``$GITHUB_PATH`` honoured) and the GitLab
template's ``before_script``/``script`` lines (its ``variables`` expanded with ``CI_*`` values) against a
bare remote on disk, in the checkout CI makes: a shallow clone (``--depth 1``), a detached HEAD, no git
identity (an empty ``HOME``, ``GIT_CONFIG_NOSYSTEM=1``), ``GITHUB_*`` / ``CI_*`` variables.  The forges are
the loopback emulators.  What a real runner fetches from the network is stood in for by local tools:
``python -m venv`` makes a venv without pip, whose ``pip install`` links this checkout and its installed
dependencies; ``apt-get`` is a no-op (git is here); the GitLab server's git URLs map to the bare remote
(``url.<remote>.insteadOf``), where the job token may fetch but not push, as on GitLab.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from emulators import GITHUB_TOKEN, GITLAB_TOKEN
from emulators.github import GitHubEmulator
from emulators.gitlab import GitLabEmulator

from syncbot import git

ROOT = Path(__file__).resolve().parents[1]
TRACKER = "SESSION_TRACKER.md"
TEXT = """# Tracker

| Session | Title | Status | Prerequisites |
|---|---|---|---|
| 1 | One | Done | None |
| 2 | Two | Done | Session 1 |
| 3 | Three | Pending | Session 2 |
| 4 | Four | Pending | Session 3 |
"""
BOT = "syncbot <syncbot@localhost>"
PERSON = ["-c", "user.name=Ann Author", "-c", "user.email=ann@example.com"]


def run(*cmd: str, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{' '.join(cmd)}: {proc.stderr}{proc.stdout}"
    return proc.stdout


# --- the world: a bare remote, a developer's clone -------------------------------------------------------


@dataclass
class World:
    tmp: Path
    origin: Path
    dev: Path
    env: dict[str, str]  # a clean environment: git, no identity, no SYNCBOT_* of the test process

    def dev_git(self, *args: str) -> str:
        return run("git", *PERSON, "-C", str(self.dev), *args, env=self.env)

    def remote_git(self, *args: str) -> str:
        return run("git", f"--git-dir={self.origin}", *args, env=self.env)

    def push_work(self, *messages: str) -> None:
        """A person pulls, commits ``messages`` (empty commits) and pushes."""
        self.dev_git("pull", "--quiet", "--rebase", "origin", "main")
        for message in messages:
            self.dev_git("commit", "--quiet", "--allow-empty", "-m", message)
        self.dev_git("push", "--quiet", "origin", "main")

    def remote_tracker(self) -> str:
        return self.remote_git("show", f"main:{TRACKER}")


@pytest.fixture
def world(tmp_path: Path) -> World:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.pathsep.join([str(Path(shutil.which("git") or "/usr/bin/git").parent), "/usr/bin", "/bin"]),
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "LANG": "C.UTF-8",
    }
    origin = tmp_path / "origin.git"
    run("git", "init", "--quiet", "--bare", "--initial-branch=main", str(origin), env=env)
    dev = tmp_path / "dev"
    run("git", "clone", "--quiet", origin.as_uri(), str(dev), env=env)
    w = World(tmp_path, origin, dev, env)
    (dev / TRACKER).write_text(TEXT)
    (dev / ".gitignore").write_text(".syncbot/\n")
    w.dev_git("checkout", "--quiet", "-b", "main")
    w.dev_git("add", "-A")
    w.dev_git("commit", "--quiet", "-m", "Add the tracker")
    w.dev_git("push", "--quiet", "origin", "main")
    return w


# --- the runner: tools, checkout, steps ----------------------------------------------------------------


def runner_tools(tmp: Path) -> Path:
    """``python`` (what setup-python or the job's image provides) and ``apt-get``, offline."""
    bin_dir = tmp / "runner-tools"
    bin_dir.mkdir(parents=True)
    paths = [str(ROOT), *{sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}]
    pip = f"""#!/bin/bash
# pip, offline: `pip install SPEC` puts this checkout and its installed dependencies on the venv's path.
set -eu
echo "$*" >> "$PIP_LOG"
[ "$1" = install ]
venv="$(cd "$(dirname "$0")/.." && pwd)"
site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
printf '%s\\n' {" ".join(repr(p) for p in paths)} > "$site/syncbot-under-test.pth"
cat > "$venv/bin/syncbot" <<EOF
#!$venv/bin/python
import sys
from syncbot.forge import github
# The emulator is not api.github.com: no wall-clock pacing of writes (as the adapter tests do).
github.GitHubForge.__init__.__kwdefaults__["seconds_between_writes"] = 0.0
from syncbot.cli import main
sys.exit(main())
EOF
chmod +x "$venv/bin/syncbot"
"""
    python = f"""#!/bin/bash
if [ "$1" = -m ] && [ "$2" = venv ]; then
  shift 2
  {sys.executable} -m venv --without-pip "$@" || exit
  for last; do :; done
  cat > "$last/bin/pip" <<'PIP_STUB'
{pip}PIP_STUB
  chmod +x "$last/bin/pip"
  exit 0
fi
exec {sys.executable} "$@"
"""
    for name, text in {"python": python, "apt-get": "#!/bin/sh\nexit 0\n"}.items():
        path = bin_dir / name
        path.write_text(text)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return bin_dir


def ci_checkout(w: World, name: str, depth: int | None = 1, fetch_url: str | None = None) -> Path:
    """The checkout CI makes: shallow, the branch tip checked out detached, no identity configured."""
    work = w.tmp / name
    run("git", "clone", "--quiet", *(["--depth", str(depth)] if depth else []), w.origin.as_uri(), str(work), env=w.env)
    run("git", "-C", str(work), "checkout", "--quiet", "--detach", env=w.env)
    if fetch_url:
        run("git", "-C", str(work), "remote", "set-url", "origin", fetch_url, env=w.env)
    return work


_EXPR = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def substitute(text: str, contexts: Mapping[str, Mapping[str, str]]) -> str:
    """``${{ inputs.x }}`` and ``${{ github.y }}``: the expressions action.yml uses (unknown ones fail)."""

    def value(m: re.Match[str]) -> str:
        scope, _, name = m.group(1).partition(".")
        assert name in contexts[scope], f"simulated runner: unknown expression {m.group(0)}"
        return substitute(contexts[scope][name], contexts)

    return _EXPR.sub(value, text)


@dataclass
class Run:
    output: str
    returncode: int
    pip_log: list[str] = field(default_factory=list)


def run_action(
    w: World,
    work: Path,
    *,
    api_url: str,
    inputs: Mapping[str, str] | None = None,
    event: Mapping[str, str] | None = None,
) -> Run:
    """Every step of action.yml, as the Actions runner runs a composite action's steps on a push to main
    (``event``: other ``GITHUB_*`` values, e.g. a pull request's)."""
    action: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    runner = Path(tempfile.mkdtemp(prefix=f"runner-{work.name}-", dir=w.tmp))  # a fresh runner per job
    tools = runner_tools(runner)
    temp = runner / "temp"
    temp.mkdir()
    values = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | dict(inputs or {})
    github = {
        "repository": "octo/app",
        "api_url": api_url,
        "token": GITHUB_TOKEN,
        "ref_name": "main",
    }
    contexts = {"inputs": values, "github": github}
    sha = run("git", "-C", str(work), "rev-parse", "HEAD", env=w.env).strip()
    env = {
        **w.env,
        "PATH": os.pathsep.join([str(tools), w.env["PATH"]]),
        "HOME": str(runner / "empty-home"),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_REF_NAME": "main",
        "GITHUB_REF_TYPE": "branch",
        "GITHUB_SHA": sha,
        "GITHUB_REPOSITORY": github["repository"],
        "GITHUB_API_URL": api_url,
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_PATH": str(temp / "github_path"),
        "GITHUB_ENV": str(temp / "github_env"),
        "RUNNER_TEMP": str(temp),
        "PIP_LOG": str(temp / "pip.log"),
        **dict(event or {}),
    }
    Path(env["HOME"]).mkdir(exist_ok=True)
    for name in ("github_path", "github_env", "pip.log"):
        (temp / name).write_text("")
    output = []
    for i, step in enumerate(action["runs"]["steps"]):
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@"), step  # the runner's python stands in
            continue
        assert step.get("shell") == "bash"
        script = temp / f"step-{i}.sh"
        script.write_text(substitute(step["run"], contexts))
        step_env = {**env, **{k: substitute(str(v), contexts) for k, v in (step.get("env") or {}).items()}}
        # How the runner runs `shell: bash`.
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=work,
            env=step_env,
            capture_output=True,
            text=True,
            check=False,
        )
        output.append(proc.stdout + proc.stderr)
        if proc.returncode != 0:
            return Run("".join(output), proc.returncode)
        added = [line for line in (temp / "github_path").read_text().splitlines() if line]
        env["PATH"] = os.pathsep.join([*reversed(added), env["PATH"]])
        for line in (temp / "github_env").read_text().splitlines():
            if "=" in line:
                k, _, v = line.partition("=")
                env[k] = v
    return Run("".join(output), 0, (temp / "pip.log").read_text().splitlines())


def assert_closed_the_loop(w: World, before: str) -> None:
    """The remote's tracker shows sessions 3 and 4 done, in one commit by the bot on top of the person's."""
    tracker = w.remote_tracker()
    assert "| 3 | Three | Done | Session 2 |" in tracker
    assert "| 4 | Four | Done | Session 3 |" in tracker
    head = w.remote_git(
        "log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%P%n%(trailers:key=Syncbot-Commit,valueonly)", "main"
    )
    author, committer, parent, trailer = head.splitlines()[:4]
    assert (author, committer, trailer.strip()) == (BOT, BOT, "yes")
    assert parent == before  # a fast-forward onto what the person pushed: nothing was overwritten


# --- GitHub Actions ---------------------------------------------------------------------------------------


def test_the_action_closes_the_loop_from_a_shallow_detached_checkout_with_no_identity(
    world: World, github_emulator: GitHubEmulator
) -> None:
    api = github_emulator.base_url
    github_emulator.add_repo("octo/app")
    first = run_action(world, ci_checkout(world, "first"), api_url=api)
    assert first.returncode == 0, first.output
    assert first.pip_log == [f"install --quiet {ROOT}"]  # the step installs the action's own checkout
    issues = github_emulator.repos["octo/app"].issues
    assert len(issues) == 5  # four sessions and the tracking issue

    # Trailers older than the clone's depth, then the one on top.
    world.push_work("Three\n\nSession: 3 done", "Refactor", "Docs", "Four\n\nSession: 4 done")
    before = world.remote_git("rev-parse", "main").strip()

    second = run_action(world, ci_checkout(world, "second"), api_url=api)

    assert second.returncode == 0, second.output
    assert "fetched more history (--deepen=50)" in second.output
    assert_closed_the_loop(world, before)
    closed = {i["title"].split(":")[0] for i in issues.values() if i["state"] == "closed"}
    assert {"Session 3", "Session 4"} <= closed

    # The next run finds nothing to do: the bot's own commit is never read back.
    pushed = world.remote_git("rev-parse", "main").strip()
    third = run_action(world, ci_checkout(world, "third"), api_url=api)
    assert third.returncode == 0, third.output
    assert world.remote_git("rev-parse", "main").strip() == pushed
    assert "committed" not in third.output


def test_the_action_pushes_by_default_and_its_push_input_turns_it_off(
    world: World, github_emulator: GitHubEmulator
) -> None:
    api = github_emulator.base_url
    github_emulator.add_repo("octo/app")
    assert run_action(world, ci_checkout(world, "first"), api_url=api).returncode == 0
    world.push_work("Three\n\nSession: 3 done", "Four\n\nSession: 4 done")
    before = world.remote_git("rev-parse", "main").strip()

    work = ci_checkout(world, "off")
    off = run_action(world, work, api_url=api, inputs={"push": "false"})

    assert off.returncode == 0, off.output
    assert world.remote_git("rev-parse", "main").strip() == before
    # The commit landed on the checkout's own branch (which was where the detached HEAD was), not pushed.
    local = run("git", "-C", str(work), "log", "-1", "--format=%an <%ae>", "main", env=world.env).strip()
    assert local == BOT


# --- GitLab CI --------------------------------------------------------------------------------------------


def gitlab_job(name: str) -> tuple[dict[str, str], list[str]]:
    """The job's variables (template, then the job's `extends`) and its before_script + script lines."""
    doc: dict[str, Any] = yaml.safe_load((ROOT / "deploy" / "gitlab-ci.yml").read_text())
    job = doc[name]
    base = doc[job["extends"]] if "extends" in job else {}
    variables = {**doc.get("variables", {}), **base.get("variables", {}), **job.get("variables", {})}
    lines = [*job.get("before_script", base.get("before_script", [])), *job["script"]]
    return {k: str(v) for k, v in variables.items()}, lines


_VAR = re.compile(r"\$\{?(\w+)\}?")


def expand(value: str, known: Mapping[str, str]) -> str:
    """GitLab expands `$NAME` in variables it defines from the ones it knows."""
    return _VAR.sub(lambda m: known.get(m.group(1), m.group(0)), value)


def run_gitlab_job(
    w: World,
    api_url: str,
    *,
    project_variables: Mapping[str, str],
    job: str = "syncbot:sync",
    keep: Callable[[str], bool] = lambda line: True,
    pipeline: Mapping[str, str | None] | None = None,
) -> Run:
    """The job as a GitLab runner (docker executor, bash) runs it on a push to the default branch;
    ``keep`` picks the script lines (all by default)."""
    variables, lines = gitlab_job(job)
    lines = [line for line in lines if keep(line)]
    host_port = api_url.split("://", 1)[1].rstrip("/")
    host, _, port = host_port.partition(":")
    predefined = {
        "CI": "true",
        "GITLAB_CI": "true",
        "CI_PIPELINE_SOURCE": "push",
        "CI_DEFAULT_BRANCH": "main",
        "CI_COMMIT_BRANCH": "main",
        "CI_COMMIT_REF_NAME": "main",
        "CI_PROJECT_PATH": "group/app",
        "CI_SERVER_URL": api_url,
        "CI_SERVER_PROTOCOL": "http",
        "CI_SERVER_HOST": host,
        "CI_SERVER_PORT": port,
        "CI_JOB_TOKEN": "job-token-0000",
    }
    for k, v in (pipeline or {}).items():  # another kind of pipeline: None unsets a variable
        if v is None:
            predefined.pop(k, None)
        else:
            predefined[k] = v
    job_url = f"http://gitlab-ci-token:{predefined['CI_JOB_TOKEN']}@{host_port}/group/app.git"
    predefined["CI_REPOSITORY_URL"] = job_url
    known = {**predefined, **dict(project_variables)}
    env_vars = {**{k: expand(v, known) for k, v in variables.items()}, **project_variables}
    depth = int(env_vars.get("GIT_DEPTH", "20"))
    work = ci_checkout(w, f"gitlab-{len(list(w.tmp.glob('gitlab-*')))}", depth=depth or None, fetch_url=job_url)
    push_url = f"http://syncbot:{project_variables['SYNCBOT_GITLAB_TOKEN']}@{host_port}/group/app.git"
    tools = runner_tools(w.tmp / f"gl-{work.name}")
    tmpdir = w.tmp / f"gl-{work.name}" / "tmp"
    tmpdir.mkdir()
    # The GitLab server's git side: the job token fetches, only the project token pushes.
    network = {
        f"url.{w.origin.as_uri()}.insteadOf": [job_url, push_url],
        f"url.{(w.tmp / 'no-push-with-the-job-token').as_uri()}.pushInsteadOf": [job_url],
    }
    config = [(k, v) for k, vs in network.items() for v in vs]
    env = {
        **w.env,
        **predefined,
        **env_vars,
        "PATH": os.pathsep.join([str(tools), w.env["PATH"]]),
        "HOME": str(tmpdir.parent / "empty-home"),
        "TMPDIR": str(tmpdir),
        "PIP_LOG": str(tmpdir / "pip.log"),
        "GIT_CONFIG_COUNT": str(len(config)),
        **{f"GIT_CONFIG_KEY_{i}": k for i, (k, _) in enumerate(config)},
        **{f"GIT_CONFIG_VALUE_{i}": v for i, (_, v) in enumerate(config)},
    }
    Path(env["HOME"]).mkdir()
    (tmpdir / "pip.log").write_text("")
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", "set -eo pipefail\n" + "\n".join(lines)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return Run(proc.stdout + proc.stderr, proc.returncode, (tmpdir / "pip.log").read_text().splitlines())


@pytest.mark.parametrize("depth", ["template", "1"])
def test_the_gitlab_template_closes_the_loop_with_a_project_access_token(
    world: World, gitlab_emulator: GitLabEmulator, depth: str
) -> None:
    api = gitlab_emulator.base_url
    gitlab_emulator.add_project("group/app")
    project = {"SYNCBOT_GITLAB_TOKEN": GITLAB_TOKEN} | ({} if depth == "template" else {"GIT_DEPTH": depth})
    first = run_gitlab_job(world, api, project_variables=project)
    assert first.returncode == 0, first.output
    assert first.pip_log == ["install --quiet git+https://github.com/OWNER/syncbot@v1"]

    world.push_work("Three\n\nSession: 3 done", "Refactor", "Docs", "Four\n\nSession: 4 done")
    before = world.remote_git("rev-parse", "main").strip()

    second = run_gitlab_job(world, api, project_variables=project)

    assert second.returncode == 0, second.output
    assert ("fetched more history" in second.output) == (depth == "1")
    assert_closed_the_loop(world, before)


def test_the_gitlab_job_token_alone_cannot_push_and_the_job_says_so(
    world: World, gitlab_emulator: GitLabEmulator
) -> None:
    """Without the template's push URL (so with the job token's), the push fails loudly; nothing is forced."""
    gitlab_emulator.add_project("group/app")
    project = {"SYNCBOT_GITLAB_TOKEN": GITLAB_TOKEN}
    assert run_gitlab_job(world, gitlab_emulator.base_url, project_variables=project).returncode == 0
    world.push_work("Three\n\nSession: 3 done", "Four\n\nSession: 4 done")
    before = world.remote_git("rev-parse", "main").strip()

    result = run_gitlab_job(
        world, gitlab_emulator.base_url, project_variables=project, keep=lambda line: "set-url --push" not in line
    )

    assert result.returncode == 2, result.output
    assert "the job token (CI_JOB_TOKEN) cannot push" in result.output and "write_repository" in result.output
    assert world.remote_git("rev-parse", "main").strip() == before


def test_the_gitlab_merge_request_plan_reads_against_the_target_branch_and_changes_nothing(
    world: World, gitlab_emulator: GitLabEmulator
) -> None:
    gitlab_emulator.add_project("group/app")
    project = {"SYNCBOT_GITLAB_TOKEN": GITLAB_TOKEN}
    assert run_gitlab_job(world, gitlab_emulator.base_url, project_variables=project).returncode == 0
    world.push_work("Four\n\nSession: 4 done")
    before = world.remote_git("rev-parse", "main").strip()
    merge_request = {
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_COMMIT_BRANCH": None,  # GitLab sets no branch in merge request pipelines
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
    }

    plan = run_gitlab_job(
        world, gitlab_emulator.base_url, project_variables=project, job="syncbot:plan", pipeline=merge_request
    )

    assert plan.returncode == 0, plan.output
    assert "4: planned → done" in plan.output
    assert world.remote_git("rev-parse", "main").strip() == before


def test_the_action_in_a_pull_request_plans_against_the_base_branch_and_never_pushes_the_merge(
    world: World, github_emulator: GitHubEmulator
) -> None:
    github_emulator.add_repo("octo/app")
    assert run_action(world, ci_checkout(world, "first"), api_url=github_emulator.base_url).returncode == 0
    before = world.remote_git("rev-parse", "main").strip()
    work = ci_checkout(world, "pr", depth=None)  # the pull request's merge commit, on no branch
    run(
        "git",
        *PERSON,
        "-C",
        str(work),
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "Merge\n\nSession: 4 done",
        env=world.env,
    )
    pull_request = {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_REF": "refs/pull/7/merge",
        "GITHUB_REF_NAME": "7/merge",
        "GITHUB_HEAD_REF": "feature",
        "GITHUB_BASE_REF": "main",
    }

    plan = run_action(world, work, api_url=github_emulator.base_url, inputs={"dry-run": "true"}, event=pull_request)
    assert plan.returncode == 0, plan.output
    assert "4: planned → done" in plan.output

    sync = run_action(world, work, api_url=github_emulator.base_url, event=pull_request)
    assert sync.returncode == 2 and "nothing was pushed" in sync.output, sync.output
    assert world.remote_git("rev-parse", "main").strip() == before


def test_the_ci_templates_push_by_default() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    sync_step = next(s for s in action["runs"]["steps"] if "syncbot sync" in s.get("run", ""))
    assert sync_step["env"]["SYNCBOT_PUSH"] == "true"
    assert action["inputs"]["push"]["default"] == "true"
    gitlab = yaml.safe_load((ROOT / "deploy" / "gitlab-ci.yml").read_text())
    assert gitlab["variables"]["SYNCBOT_PUSH"] == "true"
    rules = gitlab["syncbot:sync"]["rules"]
    assert rules[0]["when"] == "never" and "Syncbot-Commit: yes" in rules[0]["if"]  # no second pipeline


# --- the pieces, directly ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "branch"),
    [
        ({"GITHUB_REF": "refs/heads/main", "GITHUB_REF_NAME": "main"}, "main"),
        ({"GITHUB_REF": "refs/heads/release/2", "GITHUB_REF_NAME": "release/2"}, "release/2"),
        ({"GITHUB_REF_NAME": "main"}, "main"),
        ({"GITHUB_REF": "refs/heads/main"}, "main"),
        ({"GITHUB_REF_NAME": "7/merge", "GITHUB_HEAD_REF": "feature"}, None),
        ({"GITHUB_REF": "refs/pull/7/merge", "GITHUB_REF_NAME": "7/merge"}, None),  # a pull request
        ({"GITHUB_REF": "refs/tags/v1", "GITHUB_REF_NAME": "v1", "GITHUB_REF_TYPE": "tag"}, None),
        ({"CI_COMMIT_BRANCH": "trunk"}, "trunk"),
        ({"CI_COMMIT_TAG": "v1"}, None),
        ({}, None),
    ],
)
def test_the_ci_branch(env: dict[str, str], branch: str | None) -> None:
    assert git.ci_branch(env) == branch


Sync = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def sync(world: World) -> Sync:
    """``syncbot sync`` in ``work`` against a local forge shared by every checkout (as a real forge is)."""

    def call(work: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        base = {
            **world.env,
            "HOME": str(world.tmp / "home"),
            "SYNCBOT_LOCAL_DB": str(world.tmp / "forge.db"),
            "SYNCBOT_TRACKER": TRACKER,
            "SYNCBOT_PUSH": "true",
        }
        cmd = [sys.executable, "-c", "import sys; from syncbot.cli import main; sys.exit(main())", "sync", *args]
        return subprocess.run(cmd, cwd=work, env={**base, **env}, capture_output=True, text=True, check=False)

    return call


def test_a_detached_head_at_a_remote_branch_tip_takes_that_branch(world: World, sync: Sync) -> None:
    assert sync(world.dev).returncode == 0
    world.push_work("Three\n\nSession: 3 done", "Four\n\nSession: 4 done")
    before = world.remote_git("rev-parse", "main").strip()
    result = sync(ci_checkout(world, "ci"))  # no CI variables, no --branch: origin/main is where HEAD is
    assert result.returncode == 0, result.stderr
    assert_closed_the_loop(world, before)


def test_a_detached_head_with_no_branch_known_is_a_clear_error(world: World, sync: Sync) -> None:
    work = ci_checkout(world, "ci")
    run("git", *PERSON, "-C", str(work), "commit", "--quiet", "--allow-empty", "-m", "local", env=world.env)
    result = sync(work)
    assert result.returncode == 2
    assert "HEAD is detached and no branch is known" in result.stderr and "--branch" in result.stderr


def test_branch_flag_names_the_branch_of_a_detached_checkout(world: World, sync: Sync) -> None:
    assert sync(world.dev).returncode == 0
    world.push_work("Three\n\nSession: 3 done", "Four\n\nSession: 4 done")
    before = world.remote_git("rev-parse", "main").strip()
    result = sync(ci_checkout(world, "ci"), "--branch", "main")
    assert result.returncode == 0, result.stderr
    assert_closed_the_loop(world, before)


def test_a_shallow_checkout_of_the_branch_with_no_identity(world: World, sync: Sync) -> None:
    """actions/checkout on a push: the branch checked out (`checkout -B main`), depth 1, no identity."""
    assert sync(world.dev).returncode == 0
    world.push_work("Three\n\nSession: 3 done", "Refactor", "Four\n\nSession: 4 done")
    before = world.remote_git("rev-parse", "main").strip()
    work = ci_checkout(world, "ci")
    run("git", "-C", str(work), "checkout", "--quiet", "-B", "main", "origin/main", env=world.env)

    result = sync(work)

    assert result.returncode == 0, result.stderr
    assert "fetched more history (--deepen=50)" in result.stderr
    assert_closed_the_loop(world, before)


def test_a_shallow_clone_that_cannot_be_deepened_says_so_and_writes_nothing(world: World, sync: Sync) -> None:
    assert sync(world.dev).returncode == 0
    world.push_work("Three\n\nSession: 3 done", "Refactor", "Four\n\nSession: 4 done")
    before = world.remote_git("rev-parse", "main").strip()
    work = ci_checkout(world, "ci")
    run("git", "-C", str(work), "remote", "set-url", "origin", (world.tmp / "gone.git").as_uri(), env=world.env)

    result = sync(work, GITHUB_REF_NAME="main")

    assert result.returncode == 2
    assert "this clone is shallow" in result.stderr and "trailers could be missed" in result.stderr
    assert world.remote_git("rev-parse", "main").strip() == before


def test_a_detached_head_off_the_branch_is_never_pushed(world: World, sync: Sync) -> None:
    """A pull request's merge commit (a commit not on main) with a trailer: the bot commits, but pushing
    would publish the foreign commit, so nothing is pushed."""
    assert sync(world.dev).returncode == 0
    work = ci_checkout(world, "ci", depth=None)
    run(
        "git",
        *PERSON,
        "-C",
        str(work),
        "commit",
        "--quiet",
        "--allow-empty",
        "-m",
        "PR\n\nSession: 4 done",
        env=world.env,
    )
    before = world.remote_git("rev-parse", "main").strip()

    result = sync(work, GITHUB_REF_NAME="main")

    assert result.returncode == 2, result.stderr
    assert "not on origin/main" in result.stderr and "nothing was pushed" in result.stderr
    assert world.remote_git("rev-parse", "main").strip() == before


def test_a_detached_push_that_loses_a_race_is_rebased_and_retried(world: World, sync: Sync) -> None:
    assert sync(world.dev).returncode == 0
    world.push_work("Three\n\nSession: 3 done", "Four\n\nSession: 4 done")
    work = ci_checkout(world, "ci")
    # Someone pushes while the bot works: a hook lands their commit just before the bot's first push.
    hook = work / ".git" / "hooks" / "pre-push"
    racer = world.tmp / "racer"
    run("git", "clone", "--quiet", world.origin.as_uri(), str(racer), env=world.env)
    hook.write_text(
        f"""#!/bin/sh
[ -e "{world.tmp}/raced" ] && exit 0
touch "{world.tmp}/raced"
git -C "{racer}" -c user.name=Bo -c user.email=bo@example.com commit -q --allow-empty -m "Meanwhile"
git -C "{racer}" push -q origin HEAD:main
"""
    )
    hook.chmod(0o755)

    result = sync(work, GITHUB_REF_NAME="main")

    assert result.returncode == 0, result.stderr
    meanwhile = run("git", "-C", str(racer), "rev-parse", "HEAD", env=world.env).strip()
    assert_closed_the_loop(world, meanwhile)


def test_the_gitlab_template_pushes_to_an_instance_under_a_sub_path(tmp_path: Path) -> None:
    """GitLab at https://example.com/gitlab: the push URL keeps `/gitlab` (CI_SERVER_URL carries it; host and
    port alone would lose it) and carries the project token, never the job token."""
    _, lines = gitlab_job("syncbot:sync")
    set_url = next(line for line in lines if "set-url --push" in line)
    repo = tmp_path / "checkout"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "remote", "add", "origin", "https://example.com/gitlab/group/app.git"], check=True
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "CI_SERVER_URL": "https://example.com/gitlab",
        "CI_PROJECT_PATH": "group/app",
        "SYNCBOT_GITLAB_TOKEN": "glpat-project-token",
    }
    subprocess.run(["bash", "-c", "set -eo pipefail\n" + set_url], cwd=repo, env=env, check=True)
    pushed = subprocess.run(
        ["git", "-C", str(repo), "remote", "get-url", "--push", "origin"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert pushed == "https://syncbot:glpat-project-token@example.com/gitlab/group/app.git"
