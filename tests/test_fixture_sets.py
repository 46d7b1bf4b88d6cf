"""One runner for every set of trackers with hand-made ground truth: the seeds, the shared corpora and our
own generalisation sets.  Each set is scored with the rules of ``../shared/tools/score_trackers.py``
(``readers_truth.set_totals``) and must stay at or above the floor it reached; the per-document
weaknesses are in the failure message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from readers_truth import set_totals

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared" / "trackers"
FIXTURES = HERE / "fixtures"

# set -> (directories, documents at least, floors).  The two shared corpora together are issue 9's bar
# (recall 0.97, keys 0.95, status 0.95, prerequisites 0.90); each set alone, and our own sets, hold what
# the readers reached, so a change that loses ground fails.  corpus2 alone stops at 0.81 on prerequisites:
# in 19_status-hub its ground truth keys both the phases and the queue `1`…, and the scorer resolves the
# queue's `Depends on: 1` to the first unit keyed `1`, a phase.
SETS: dict[str, tuple[tuple[Path, ...], int, dict[str, float]]] = {
    "seeds": ((SHARED / "seeds",), 4, {"recall": 1.0, "precision": 1.0, "key": 1.0, "status": 1.0, "prereq": 1.0}),
    "corpus": ((SHARED / "corpus",), 14, {"recall": 1.0, "precision": 1.0, "key": 1.0, "status": 1.0, "prereq": 1.0}),
    "corpus2": (
        (SHARED / "corpus2",),
        10,
        {"recall": 1.0, "precision": 1.0, "key": 0.99, "status": 0.99, "prereq": 0.8},
    ),
    "corpora": (
        (SHARED / "corpus", SHARED / "corpus2"),
        24,
        {"recall": 0.97, "key": 0.95, "status": 0.95, "prereq": 0.9},
    ),
    "generalization": (
        (FIXTURES / "generalization",),
        12,
        {"recall": 0.95, "precision": 0.95, "status": 0.95, "prereq": 0.9, "checklist": 0.9},
    ),
    "generalization2": (
        (FIXTURES / "generalization2",),
        12,
        {"recall": 0.98, "precision": 0.98, "status": 0.98, "prereq": 0.95, "checklist": 0.95},
    ),
    # status is not 1.0: `- [x] ~~item~~` reads as done work crossed off; the truth says dropped.
    "generalization3": (
        (FIXTURES / "generalization3",),
        8,
        {"recall": 0.98, "precision": 0.98, "status": 0.97, "prereq": 0.98, "checklist": 0.98},
    ),
    # written before the readers learnt structure (recall 0.925, keys 0.77, status 0.93, prereq 0.47)
    "generalization4": (
        (FIXTURES / "generalization4",),
        16,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.98, "prereq": 0.9},
    ),
    # written blind, after the readers had learnt structure (recall 0.969, keys 0.953, status 0.888,
    # prerequisites 0.719 when it was first scored)
    "generalization5": (
        (FIXTURES / "generalization5",),
        14,
        {"recall": 0.99, "precision": 0.98, "key": 0.99, "status": 0.98, "prereq": 0.945},
    ),
    # written blind after three rounds of reader work (recall 0.707, keys 0.865, status 0.925, prerequisites
    # 0.823 when it was first scored): what the readers have not learnt yet is here
    "generalization6": (
        (FIXTURES / "generalization6",),
        12,
        # (prereq 0.983: its spec-kit truth says `[]` where the phase rules now give tasks with no edge of their
        # own their phase's prerequisites, as the corpus's truth leaves open)
        {"recall": 0.97, "precision": 0.99, "key": 0.99, "status": 0.98, "prereq": 0.97},
    ),
    # written blind by a helper that never read the readers (recall 0.537, keys 0.673, status 0.839,
    # prerequisites 0.800 when first scored; 0.681 / 0.648 / 0.897 / 0.776 after the fixes made for set 6)
    "generalization7": (
        (FIXTURES / "generalization7",),
        14,
        {"recall": 0.98, "precision": 0.97, "key": 0.99, "status": 0.96, "prereq": 0.985},
    ),
    # written blind after set 7's round (recall 0.574, keys 0.843, status 0.810, prerequisites 0.719 when
    # first scored): the honest estimate for trackers nobody showed us; table structures (summary rows,
    # grid cells, containers in notes, statements several a line) took it from 0.749 / 0.791 / 0.969 / 0.796,
    # and lists read by structure (a plan among other lists, a board exported as a list, released versions)
    # and headings round, to 0.990 / 1.0 / 0.990 / 0.903
    "generalization8": (
        (FIXTURES / "generalization8",),
        14,
        {"recall": 0.98, "precision": 0.99, "key": 0.99, "status": 0.98, "prereq": 0.9},
    ),
    # written blind while set 8 was being worked on, scored once before any change for it (recall 0.851,
    # precision 0.973, keys 0.942, status 0.872, prerequisites 0.780)
    "generalization9": (
        (FIXTURES / "generalization9",),
        14,
        {"recall": 0.975, "precision": 0.97, "key": 0.99, "status": 0.97, "prereq": 0.87},  # (as set 6's)
    ),
    # written blind at the end of a session, scored once before any change for it (recall 0.794, precision
    # 0.968, keys 1.0, status 0.870, prerequisites 0.688)
    "generalization10": (
        (FIXTURES / "generalization10",),
        14,
        {"recall": 0.99, "precision": 0.98, "key": 0.99, "status": 0.94, "prereq": 0.8},
    ),
    # written blind at the start of the next session, scored once with the build of that moment (recall
    # 0.786, precision 1.0, keys 0.913, status 0.957, prerequisites 0.709); then read for its classes (ids
    # like `M1.2` on task items, plans in prose paragraphs, wrapped sentences)
    "generalization11": (
        (FIXTURES / "generalization11",),
        14,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.98, "prereq": 0.96},
    ),
    # written blind in the same session, scored once with the build of that moment (recall 0.648, precision
    # 0.964, keys 0.894, status 0.916, prerequisites 0.661); then read for its classes (bold-lead plans,
    # bilingual lanes, roadmaps by version, stage legends, keyless schedules, log-introduced units)
    "generalization13": (
        (FIXTURES / "generalization13",),
        14,
        {"recall": 0.91, "precision": 0.99, "key": 0.99, "status": 0.97, "prereq": 0.84},
    ),
    # written blind by someone who never saw the code, scored once before any change for it (recall 0.745,
    # keys 0.905, status 0.959, prerequisites 0.571).  Its spec-kit document spreads the phase rules of
    # `Dependencias entre fases` over every task; the readers give them only to tasks with no edge of their own
    "generalization12": (
        (FIXTURES / "generalization12",),
        14,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.98, "prereq": 0.9, "checklist": 0.99},
    ),
    # written blind in the same session and kept sealed: scored once by its writer (recall 0.675, precision 0.991,
    # keys 0.896, status 0.933, prerequisites 0.632), then once at the end of the session's reader work, unseen
    # (0.792 / 0.996 / 0.926 / 0.928 / 0.665): the held-out estimate for English agent-kept trackers
    "generalization14": (
        (FIXTURES / "generalization14",),
        14,
        {"recall": 0.93, "precision": 0.99, "key": 0.99, "status": 0.98, "prereq": 0.79},
    ),
    # the same, in zh-CN, pt-BR, es, de and en (first 0.937 / 1.0 / 0.932 / 0.980 / 0.758; sealed at the end
    # 0.975 / 1.0 / 0.935 / 0.974 / 0.710; then opened, and the regression it showed mended: Kiro's
    # `_Requisitos:_` links had become prerequisites)
    "generalization15": (
        (FIXTURES / "generalization15",),
        14,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.97, "prereq": 0.9},
    ),
    # written blind at the start of the next session by a helper that never read the code, scored once with
    # that moment's build (recall 0.929, precision 0.974, keys 0.959, status 0.953, prerequisites 0.769); then
    # opened for its classes
    "generalization16": (
        (FIXTURES / "generalization16",),
        14,
        {"recall": 0.98, "precision": 0.99, "key": 0.99, "status": 0.96, "prereq": 0.91},
    ),
    # written blind in session 5 by helpers that never read the code, kept sealed to its end (set 17 first
    # scored 0.759 / 0.976 / 1.0 / 0.980 / 0.888, set 18 0.757 / 1.0 / 1.0 / 0.925 / 0.845); opened in session 6
    "generalization17": (
        (FIXTURES / "generalization17",),
        14,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.99, "prereq": 0.95},
    ),
    "generalization18": (
        (FIXTURES / "generalization18",),
        12,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.99, "prereq": 0.97},
    ),
    # written blind at the start of session 6 (zh×2, pt, es, de×2, en×2, ja; status tables keyed `W2.4`, `A-3b`,
    # `M1-T07`, `P6-2`, `I.1.1`), sealed to its end (first 0.961 / 0.997 / 1.0 / 0.849 / 0.920, last 0.968 / 0.997 /
    # 1.0 / 0.850 / 0.937); opened in session 7 for its statuses: legends of codes (`EC` en curso), `／` between
    # a legend's pairs, an agent log's `### S-21 — …` sections beside its plan table
    "generalization19": (
        (FIXTURES / "generalization19",),
        9,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.99, "prereq": 0.97},
    ),
    # written blind at the start of session 7 (zh×2, fr, ko, nl, pt, es, de, en×2; keys `R2.07`, `B-12a`, `K3/4`,
    # `2025-Q1-05`, `EP4.S2`, `OPS-17`), scored once with that moment's build (0.823 / 0.989 / 0.849 / 0.928 /
    # 0.842), then opened the same session.  Set 20 stays sealed.  Its spec-kit document spreads the phase rules
    # over every task; the readers give them to tasks with no edge of their own (as corpus2 is read)
    "generalization21": (
        (FIXTURES / "generalization21",),
        10,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.98, "prereq": 0.92},
    ),
    # written blind in session 7 (fr, it, ru, pl, tr, vi, id, en×3: a pandas export, progress bars, a schedule keyed
    # by dates, an agent's step plan, an issue epic), first scored with the build after sets 19 and 21 (0.808 /
    # 0.870 / 1.0 / 0.866 / 0.889: nothing learnt from those two sets had moved it), then opened the same session
    "generalization23": (
        (FIXTURES / "generalization23",),
        10,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.98, "prereq": 0.95},
    ),
    # written blind in session 7 (en×5, de, ja, es, pt, zh-Hant: an agent's TODO announcing its tasks, a board
    # drawn as a table of lanes, a Kiro task list, a cutover runbook), first scored with the build after sets 19
    # and 21 (0.764 / 0.950 / 1.0 / 0.911 / 0.825), then opened the same session
    "generalization24": (
        (FIXTURES / "generalization24",),
        10,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.95, "prereq": 0.94},
    ),
    # written blind in session 7 from the build after sets 19-24 (first 0.750 / 0.889 / 1.0 / 0.863 / 0.821): a
    # Mermaid gantt chart as the plan, a research plan of `**1.**` paragraphs with `【已完成】` statuses, a
    # status column of letter codes explained in a legend table; then opened the same session
    "generalization25": (
        (FIXTURES / "generalization25",),
        10,
        {"recall": 0.98, "precision": 0.99, "key": 0.99, "status": 0.95, "prereq": 0.87},
    ),
    # written blind in session 8 from the build at its start (first 1.0 / 1.0 / 1.0 / 0.895 / 0.908): status
    # tables in zh, pt, es, de, en keyed `G.1.1`, `M1-T4`, `02.A`, `WP3.2`, `A.3`; GitHub `:shortcode:` emoji
    # in a legend table; dependencies written as sentences below the tables; then opened the same session
    "generalization27": (
        (FIXTURES / "generalization27",),
        8,
        {"recall": 0.99, "precision": 0.99, "key": 0.99, "status": 0.95, "prereq": 0.95},
    ),
    # written blind in session 8 (first 0.970 / 0.983 / 1.0 / 0.911 / 0.774): dependencies drawn only as a
    # Mermaid flowchart, a board with `⛓ KEY` chains and lanes `Ready for dev` / `Waiting on client`, a
    # `Blokkeert` column, a section rule over table rows whose cells say `—`; then opened the same session
    "generalization29": (
        (FIXTURES / "generalization29",),
        10,
        {"recall": 0.99, "precision": 0.98, "key": 0.99, "status": 0.96, "prereq": 0.88},
    ),
    # written blind in session 8 from the build after sets 27 and 29 (first 0.776 / 0.979 / 0.839 / 0.979 /
    # 0.915): epics whose tables number their stories afresh (`EPIC-2/US-3`), a README roadmap keyed by
    # `(#27)`, a Gitee board whose `⛓` blocks, a legend table glossing `🟢 Listo` as ready, a `Ticket` column
    # after the name, plain items keyed like the tasks; then opened the same session
    "generalization30": (
        (FIXTURES / "generalization30",),
        8,
        {"recall": 0.94, "precision": 0.98, "key": 0.92, "status": 0.98, "prereq": 0.96},
    ),
    # written blind in session 8 (first 0.897 / 1.0 / 1.0 / 0.974 / 0.989): ten open-source planning files, a
    # runbook of phase tables and phase checklists numbered within the phase, an agent's PROGRESS.md that adds
    # tasks in bold sub-items, an Obsidian jam board with a Playtest lane and an Archive; opened the same session
    "generalization31": (
        (FIXTURES / "generalization31",),
        10,
        {"recall": 0.98, "precision": 0.99, "key": 0.88, "status": 0.97, "prereq": 0.98},
    ),
    # written blind in session 8 from the build after sets 27-31 (first 0.927 / 1.0 / 0.90 / 0.932 / 0.95): a
    # sprint board of tables with an A11Y epic, `### SRCH-01 Title` sections, a personal TODO board, a Spanish
    # roadmap whose later quarters are bold-id items, a Chinese release board, a bug bash; opened the same session
    "generalization33": (
        (FIXTURES / "generalization33",),
        10,
        {"recall": 0.98, "precision": 0.99, "key": 0.85, "status": 0.95, "prereq": 0.96},
    ),
}


def _truths(name: str) -> list[Path]:
    directories, _, _ = SETS[name]
    missing = [d for d in directories if not d.is_dir()]
    if missing:
        pytest.skip(f"{missing[0]} is not here (../shared sits beside the checkout in CI)")
    return [t for d in directories for t in sorted(d.glob("*.expected.json"))]


@pytest.mark.parametrize("name", list(SETS))
def test_the_set_is_there(name: str) -> None:
    truths = _truths(name)
    assert len(truths) >= SETS[name][1]
    for t in truths:
        assert (t.parent / json.loads(t.read_text())["document"]).is_file(), t


@pytest.mark.parametrize("name", list(SETS))
def test_the_set_reads_at_least_as_well_as_it_did(name: str) -> None:
    totals, weak = set_totals(_truths(name))
    low = {k: round(totals[k], 3) for k, floor in SETS[name][2].items() if totals[k] < floor}
    assert not low, (low, {k: round(v, 3) for k, v in totals.items()}, weak)
