"""Ground-truth checks for the heading/list readers, with the rules of ../shared/tools/score_trackers.py:
a key may be any of the listed spellings, titles compare case- and punctuation-insensitively by containment,
and ``tolerated_extra_titles`` may also be reported."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from syncbot.model import Session, SpanKind, Tracker
from syncbot.readers import load_document, read_document
from syncbot.readers.common import Document

HERE = Path(__file__).parent
SEEDS = HERE / "fixtures" / "seeds"
CORPUS = HERE.parent.parent / "shared" / "trackers" / "corpus"


def truth_for(doc_path: Path) -> dict[str, Any]:
    stem = doc_path.name.rsplit(".", 1)[0]
    data: dict[str, Any] = json.loads((doc_path.parent / f"{stem}.expected.json").read_text())
    return data


def norm(s: object) -> str:
    t = unicodedata.normalize("NFKC", str(s or "")).lower()
    t = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in t)
    return " ".join(t.split())


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def title_ok(expected: str, found: str) -> bool:
    e, f = norm(expected), norm(found)
    return bool(e and f) and (e == f or (len(e) >= 4 and e in f) or (len(f) >= 4 and f in e))


def assert_truth(sessions: list[Session], truth: dict[str, Any]) -> None:
    """Every expected unit is found (by key, else by title) with its status, prerequisites and checklist
    count, in document order; nothing else is reported unless tolerated."""
    want = truth["sessions"]
    used: set[int] = set()
    order: list[int] = []
    for u in want:
        cands = [
            j
            for j, s in enumerate(sessions)
            if j not in used
            and (
                any(norm(k) == norm(s.key) for k in _as_list(u["key"])) if "key" in u else title_ok(u["title"], s.title)
            )
        ]
        assert cands, f"missing unit {u.get('key', u.get('title'))!r}; got {[(s.key, s.title) for s in sessions]}"
        j = cands[0]
        used.add(j)
        order.append(j)
        s = sessions[j]
        if "title" in u:
            assert title_ok(u["title"], s.title), (s.key, s.title, u["title"])
        assert s.status.value in _as_list(u["status"]), (s.key, s.status, u["status"])
        if "prerequisites" in u and not truth.get("prerequisites_optional"):
            want_keys = {norm(_as_list(p)[0]) for p in u["prerequisites"]}
            assert {norm(p) for p in s.prerequisites} == want_keys, (s.key, s.prerequisites, u["prerequisites"])
        if "checklist" in u:
            assert len(s.checklist) == u["checklist"], (s.key, len(s.checklist), u["checklist"])
    assert order == sorted(order), "units out of document order"
    tolerated = truth.get("tolerated_extra_titles", [])
    extras = [
        s.title for j, s in enumerate(sessions) if j not in used and not any(title_ok(t, s.title) for t in tolerated)
    ]
    assert not extras, f"units the document does not have: {extras}"


def assert_exact_spans(doc: Document, sessions: list[Session]) -> int:
    """Every status span covers exactly the status as written: a heading or text phrase reads back as the
    unit's ``status_text`` (when it is the one that decided the status), a checkbox span is the single mark
    between the brackets.  Returns how many spans were checked."""
    n = 0
    for s in sessions:
        assert 1 <= s.line <= s.end_line <= len(doc.lines), (s.key, s.line, s.end_line)
        for i, ss in enumerate(s.status_spans):
            raw = ss.span.slice(doc.text)
            line = doc.lines[ss.line - 1]
            assert doc.line_span(ss.line).start <= ss.span.start < ss.span.end <= doc.line_span(ss.line).end
            if ss.kind is SpanKind.CHECKBOX:
                assert len(raw) == 1 and raw in " xX/~-", (s.key, raw)
                col = ss.span.start - doc.line_starts[ss.line - 1]
                assert line[col - 1] == "[" and line[col + 1] == "]", (s.key, line)
                if i == 0:
                    assert s.status_text == f"[{raw}]", (s.key, s.status_text)
            else:
                assert raw and raw == raw.strip(), (s.key, raw)
                if i == 0:
                    assert doc.fix(raw) == s.status_text, (s.key, raw, s.status_text)
            n += 1
        for item in s.checklist:
            assert item.mark is not None
            mark = item.mark.slice(doc.text)
            assert mark in " xX/~-" and len(mark) == 1 and (mark in "xX") == item.done, (s.key, item)
            n += 1
    return n


# --- scoring a set of documents with the rules of ../shared/tools/score_trackers.py ---


def _key_ok(expected: Any, found: str) -> bool:
    return any(norm(k) == norm(found) for k in _as_list(expected))


def _fit(e: dict[str, Any], f: dict[str, Any]) -> int:
    t = 2 if norm(e.get("title")) == norm(f.get("title")) else 0
    st = 1 if "status" in e and f.get("status") in _as_list(e["status"]) else 0
    ck = 1 if "checklist" in e and len(f.get("checklist") or []) == e["checklist"] else 0
    return t + st + ck


def _match(exp: list[dict[str, Any]], found: list[dict[str, Any]]) -> dict[int, int]:
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for by_key in (True, False):
        for i, e in enumerate(exp):
            if i in pairs or (by_key and e.get("key") is None):
                continue
            cands = [
                j
                for j, f in enumerate(found)
                if j not in used
                and (_key_ok(e["key"], f["key"]) if by_key else title_ok(e.get("title", ""), f.get("title", "")))
            ]
            if cands:
                j = max(cands, key=lambda j: (_fit(e, found[j]), -j))
                pairs[i] = j
                used.add(j)
    return pairs


def _as_found(tracker: Tracker) -> list[dict[str, Any]]:
    return [
        {"key": s.key, "title": s.title, "status": s.status.value, "prerequisites": s.prerequisites,
         "checklist": s.checklist}
        for s in tracker.sessions
    ]  # fmt: skip


def score(truth_path: Path) -> dict[str, Any]:
    truth = json.loads(truth_path.read_text())
    tracker, _ = read_document(load_document(truth_path.parent / truth["document"]))
    found = _as_found(tracker)
    exp = truth["sessions"]
    pairs = _match(exp, found)
    tolerated = truth.get("tolerated_extra_titles", [])
    unmatched = [f for j, f in enumerate(found) if j not in pairs.values()]
    extra = [f for f in unmatched if not any(title_ok(t, f["title"]) for t in tolerated)]
    out: dict[str, Any] = {"expected": len(exp), "matched": len(pairs), "extra": len(extra)}
    st = pr = ck = ky = (0, 0)
    for i, j in pairs.items():
        e, f = exp[i], found[j]
        if "key" in e:
            ky = (ky[0] + _key_ok(e["key"], f["key"]), ky[1] + 1)
        if "status" in e:
            st = (st[0] + (f["status"] in _as_list(e["status"])), st[1] + 1)
        if "prerequisites" in e:
            want = set()
            for pk in e["prerequisites"]:
                idx = next(
                    (k for k, u in enumerate(exp) if "key" in u and any(_key_ok(u["key"], x) for x in _as_list(pk))),
                    None,
                )
                if idx is None:
                    want.add(norm(_as_list(pk)[0]))
                else:
                    want.add(norm(found[pairs[idx]]["key"]) if idx in pairs else "?" + norm(_as_list(pk)[0]))
            pr = (pr[0] + (want == {norm(p) for p in f["prerequisites"]}), pr[1] + 1)
        if "checklist" in e:
            ck = (ck[0] + (len(f["checklist"]) == e["checklist"]), ck[1] + 1)
    out.update(key=ky, status=st, prereq=pr, checklist=ck)
    return out


def set_totals(truths: list[Path]) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    """Totals over a set of ``*.expected.json`` files as the scorer computes them, and the weak documents."""
    rows = {t.name: score(t) for t in truths}
    expected = sum(r["expected"] for r in rows.values())
    matched = sum(r["matched"] for r in rows.values())
    extra = sum(r["extra"] for r in rows.values())

    def acc(k: str) -> float:
        ok, n = sum(r[k][0] for r in rows.values()), sum(r[k][1] for r in rows.values())
        return ok / n if n else 1.0

    totals = {
        "recall": matched / expected,
        "precision": matched / (matched + extra) if matched + extra else 1.0,
        "key": acc("key"),
        "status": acc("status"),
        "prereq": acc("prereq"),
        "checklist": acc("checklist"),
    }
    weak = {name: r for name, r in rows.items() if r["matched"] < r["expected"] or r["extra"]}
    return totals, weak
