"""The one Mermaid renderer: ids, escaping, palette and what it draws above Mermaid's limits.

Mermaid itself parses and renders these graphs in ``test_render_output.py``.
"""

from __future__ import annotations

import re

from syncbot.model import Status
from syncbot.render.mermaid import LABEL_MAX, PALETTE, Node, draw, label


def test_labels_use_entity_codes_for_what_mermaid_would_read() -> None:
    assert label('Fix #12; ping "x" <b> & `y`') == "Fix #35;12#59; ping #quot;x#quot; #lt;b#gt; #38; #96;y#96;"


def test_a_cut_label_never_ends_inside_an_entity() -> None:
    text = "#" * (LABEL_MAX * 2)
    cut = label(text)
    assert cut.endswith("…") and re.fullmatch(r"(#35;)+…", cut)


def test_ids_come_from_positions_and_keys_never_reach_the_code() -> None:
    nodes = [Node("end", "a", Status.DONE), Node("1.2-->x", "b", Status.PLANNED)]
    code = draw(nodes, [("end", "1.2-->x")]).code
    assert '    n0["a"]' in code and '    n1["b"]' in code and "    n0 --> n1" in code
    assert "1.2" not in code and "end" not in code.replace("graph TD", "")


def test_one_palette_for_every_status() -> None:
    code = draw([Node(s.value, s.value, s) for s in Status], []).code
    for status, style in PALETTE.items():
        assert f"classDef {status.value} {style}" in code


def _chain(n: int, group_size: int, done: int = 0) -> tuple[list[Node], list[tuple[str, str]]]:
    nodes = [
        Node(str(i), f"Session {i}", Status.DONE if i < done else Status.PLANNED, f"Wave {i // group_size + 1}")
        for i in range(n)
    ]
    return nodes, [(str(i - 1), str(i)) for i in range(1, n)]


def test_above_mermaids_edge_limit_it_draws_the_waves_and_says_so() -> None:
    drawing = draw(*_chain(600, 10), group_kind="wave")
    assert drawing.level == "groups"
    assert "over Mermaid's limits (50,000 characters, 500 edges)" in drawing.note
    assert "shows each wave" in drawing.note
    assert drawing.code.count("-->") == 59 and '    g0["Wave 1: 0/10 done"]' in drawing.code


def test_with_too_many_waves_it_draws_the_ready_frontier() -> None:
    nodes, edges = _chain(600, 1, done=300)
    nodes[300] = Node("300", "Session 300", Status.READY, "Wave 301")
    drawing = draw(nodes, edges)
    assert drawing.level == "frontier" and "ready or in progress" in drawing.note
    assert '    n300["Session 300"]' in drawing.code and "-->" not in drawing.code


def test_a_smaller_text_budget_is_kept() -> None:
    drawing = draw(*_chain(400, 10), max_text=3_000)
    assert drawing.level == "groups" and len(drawing.code) <= 3_000
