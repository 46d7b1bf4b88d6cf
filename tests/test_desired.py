"""Desired state and markers: pure functions of a tracker, checked without any forge."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from syncbot.desired import (
    build_desired,
    creation_order,
    depends_label,
    is_managed_label,
    tracker_label,
)
from syncbot.graph import build_graph
from syncbot.markers import (
    TRACKING_KEY,
    Baseline,
    compose,
    display,
    parse,
    ref,
    resolve_refs,
    tracker_id,
)
from syncbot.model import ChecklistItem, Session, Status, Tracker
from syncbot.render.limits import MAX_LABEL_NAME
from syncbot.render.tracking import tracking_block


def tracker(*sessions: Session, path: str = "docs/SESSION_TRACKER.md") -> Tracker:
    return Tracker(path=path, title="Demo", shape="table", sessions=list(sessions))


def s(key: str, status: Status = Status.PLANNED, prereq: tuple[str, ...] = (), phase: str | None = None) -> Session:
    return Session(key, f"Title {key}", status, status.value, list(prereq), phase=phase)


def test_tracker_id_is_a_slug_of_the_path() -> None:
    assert tracker_id("docs/SESSION_TRACKER.md") == "docs-session-tracker-md"
    assert tracker_id("./STATUS.md") == "status-md"
    assert tracker_id("a\\b c.md") == "a-b-c-md"


def test_title_template_and_labels() -> None:
    t = tracker(s("1", Status.DONE), s("2", Status.READY, ("1",)), s("3", prereq=("2",)), s("4", Status.IN_PROGRESS))
    d = build_desired(t, title_template="[{key}] {title} ({status})")
    by = d.by_key()
    assert by["2"].title == "[2] Title 2 (ready)"
    assert d.tracker_label == "tracker:docs-session-tracker-md"
    assert by["1"].labels == (d.tracker_label, "status:done")
    assert by["2"].labels == (d.tracker_label, "status:ready", "ready")
    assert by["3"].labels == (d.tracker_label, "status:planned", "blocked")
    assert "ready" not in by["4"].labels  # in progress is neither ready nor blocked
    names = {lb.name for lb in d.labels}
    assert {"ready", "blocked", "status:done", d.tracker_label} <= names
    # No label per prerequisite: links and the body carry dependencies, so labels do not grow with N.
    assert not any(n.startswith("depends-on:") for n in names)
    assert all(len(lb.color) == 6 for lb in d.labels)


def test_closed_states() -> None:
    d = build_desired(tracker(s("1", Status.DONE), s("2", Status.DROPPED), s("3", Status.FAILED)))
    by = d.by_key()
    assert (by["1"].state, by["1"].state_reason) == ("closed", "completed")
    assert (by["2"].state, by["2"].state_reason) == ("closed", "not_planned")
    assert (by["3"].state, by["3"].state_reason) == ("open", None)


@given(st.text(min_size=1, max_size=120))
def test_label_names_fit_github(key: str) -> None:
    assert len(depends_label(key)) <= MAX_LABEL_NAME
    assert len(tracker_label(tracker_id(key))) <= MAX_LABEL_NAME


def test_long_labels_stay_distinct() -> None:
    a, b = depends_label("x" * 60 + "a"), depends_label("x" * 60 + "b")
    assert a != b and len(a) == len(b) == MAX_LABEL_NAME


def test_managed_labels() -> None:
    tl = "tracker:t"
    assert all(is_managed_label(n, tl) for n in ["tracker:t", "status:done", "depends-on:3", "ready", "Blocked"])
    assert not any(is_managed_label(n, tl) for n in ["bug", "tracker:other", "needs-ready"])


def test_milestones_by_phase_else_by_wave() -> None:
    phased = tracker(s("1", Status.DONE, phase="Foundation"), s("2", prereq=("1",), phase="Features"))
    d = build_desired(phased)
    assert [m.title for m in d.milestones] == ["Foundation", "Features"]
    assert [m.closed for m in d.milestones] == [True, False]
    assert "Session 2: Title 2" in d.milestones[1].description
    assert "syncbot:v1 tracker=docs-session-tracker-md milestone" in d.milestones[1].description
    flat = tracker(s("1"), s("2", prereq=("1",)), s("3", prereq=("1",)))
    d = build_desired(flat)
    assert [m.title for m in d.milestones] == ["Wave 1", "Wave 2"]
    assert d.by_key()["3"].milestone == "Wave 2"
    assert build_desired(phased, milestones="wave").milestones[0].title == "Wave 1"
    none = build_desired(phased, milestones="none")
    assert none.milestones == () and none.by_key()["1"].milestone is None


def test_creation_order_puts_prerequisites_first() -> None:
    t = tracker(s("c", prereq=("b",)), s("b", prereq=("a",)), s("a"), s("d"))
    assert creation_order(build_graph(t)) == ["a", "d", "b", "c"]
    assert [i.key for i in build_desired(t).issues] == ["a", "d", "b", "c"]


def test_body_links_prerequisites_and_lists_the_checklist() -> None:
    one = s("1")
    two = Session(
        "2",
        "Core",
        Status.READY,
        "🔄 READY",
        ["1"],
        duration="3-4h",
        output="contracts",
        checklist=[ChecklistItem("write tests", True, 9), ChecklistItem("deploy", False, 10)],
        description="Build the core.",
    )
    block = build_desired(tracker(one, two)).by_key()["2"].block
    assert block.startswith("Build the core.")
    assert "**Duration:** 3-4h" in block and "**Output:** contracts" in block
    assert "- [x] write tests\n- [ ] deploy" in block
    assert resolve_refs(block, {"1": 41}).count("#41 Title 1") == 1
    assert "`1` Title 1" in resolve_refs(block, {}, final=True)
    assert "#?1" in display(block)


def test_tracking_block_has_task_list_graph_and_baseline() -> None:
    t = tracker(s("1", Status.DONE), s("2", prereq=("1",)))
    d = build_desired(t)
    base = Baseline(statuses={"1": "done"}, watermark="abc", links=[("2", "1")], summary_hash="h")
    text = resolve_refs(tracking_block(d, base), {"1": 5, "2": 6})
    assert "- [x] #5 Session 1: Title 1" in text
    assert "- [ ] #6 Session 2: Title 2" in text
    assert "```mermaid" in text and "n0 --> n1" in text and "classDef done" in text
    assert Baseline.from_text(text) == base


def test_marker_round_trip_keeps_free_text() -> None:
    body = compose("t-md", "T 003/<x>", "bot text", "people's notes\n\nmore")
    p = parse(body)
    assert p is not None
    assert (p.tracker, p.key, p.block, p.free) == ("t-md", "T 003/<x>", "bot text", "people's notes\n\nmore")
    assert "-->" not in body.split("\n")[0][:-3]
    tracking = parse(compose("t-md", TRACKING_KEY, "x"))
    assert tracking is not None and tracking.key == TRACKING_KEY
    assert parse(compose("t-md", "@tracking", "x")) == parse(compose("t-md", "@tracking", "x"))
    assert parse("no marker here") is None


def test_a_key_cannot_pose_as_the_tracking_issue() -> None:
    p = parse(compose("t", "@tracking-not", "x"))
    assert p is not None and p.key == "@tracking-not"
    assert "key=%40tracking-not" in compose("t", "@tracking-not", "x")


def test_parse_tolerates_a_deleted_end_marker() -> None:
    body = compose("t", "1", "bot", "notes").replace("<!-- syncbot:end -->", "")
    p = parse(body)
    assert p is not None and p.free == "" and "notes" in p.block


def test_baseline_survives_hostile_text_and_unknown_fields() -> None:
    base = Baseline(statuses={"-->": "done"}, extra={"future": [1, 2]})
    text = base.to_text()
    assert text.count("-->") == 1
    assert Baseline.from_text("before\n" + text) == base
    assert Baseline.from_text("<!-- syncbot:baseline not json -->") == Baseline()


def test_ref_placeholders() -> None:
    text = f"see {ref('a')} and {ref('b')}"
    assert resolve_refs(text, {"a": 1}) == f"see #1 and {ref('b')}"
    assert resolve_refs(text, {"a": 1}, final=True) == "see #1 and `b`"


def test_tracking_block_fits_the_body_limit() -> None:
    many = [
        s(str(k), Status.DONE if k < 200 else Status.PLANNED, prereq=(str(k - 1),) if k else ()) for k in range(300)
    ]
    d = build_desired(tracker(*many))  # no phases: one milestone per wave, one session per wave
    base = Baseline(statuses={"1": "done"})
    full = tracking_block(d, base)
    assert "```mermaid" in full and "- [x] " + ref("0") + " Session 0: Title 0" in full
    # Finished waves collapse to one line each before anything else is left out.
    collapsed = tracking_block(d, base, limit=len(full) - 1)
    assert len(collapsed) < len(full) and "- [x] Wave 1: all 1 sessions closed" in collapsed
    assert "Session 299: Title 299" in collapsed and "```mermaid" in collapsed
    # Then open sessions lose their titles; then only the first ones are listed, with a pointer to the file.
    tiny = tracking_block(d, base, limit=2_000)
    assert len(tiny) <= 2_000
    assert "more open sessions: `docs/SESSION_TRACKER.md` lists them all" in tiny
    assert ref("200") in tiny and "Title 299" not in tiny
    # The baseline is never dropped.
    assert Baseline.from_text(tiny).statuses == {"1": "done"}


def test_a_hand_edited_baseline_of_the_wrong_shape_reads_as_fields_left_out() -> None:
    text = '<!-- syncbot:baseline {"statuses": ["1"], "watermark": 7, "summary_hash": ["x"], "links": 3} -->'
    assert Baseline.from_text(text) == Baseline()


def test_a_huge_description_is_cut_so_the_body_fits() -> None:
    big = replace(s("1"), description="&<>" * 20_000)
    block = build_desired(tracker(big)).by_key()["1"].block
    assert len(block) < 65_536 and block.count("(The rest is in the tracker.)") == 1
