"""What one clause of a dependency text names (:mod:`ref_clauses` cuts the text into clauses): containers by
name or several at once, `all previous`, units named by an identifier, then each candidate token
(:mod:`ref_tokens`) as a key, a range, a wildcard (`G.1.x`), a family (`E1` for `E1-S1`, `E1-S2`), a container
numbered so, a `#12` that is no key of this document (kept as written) or a key that names no unit.  A number
that is a product's version or a measure is no unit, nor is a bare number in prose unless it is named as one
(:mod:`bare_numbers`).  Used by :mod:`refs`."""

from __future__ import annotations

from syncbot.readers.bare_numbers import OpensBrackets, listed, unit_word_before
from syncbot.readers.container_refs import container_spans
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.key_shapes import DIGITS_RE, ident_form, norm_num
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.ref_markers import ALL_PREV_RE, LIST_GAP_RE, MEASURE_RE, RANGE_GAP_RE
from syncbot.readers.ref_ranges import UNIT_WORD_PREFIX_RE as _UNIT_WORD_PREFIX_RE
from syncbot.readers.ref_ranges import key_range, split_range
from syncbot.readers.ref_result import Refs
from syncbot.readers.ref_scope import InParens, blanked, exception_spans, version_of_name
from syncbot.readers.ref_tokens import key_tokens


def scan(
    piece: str,
    index: KeyIndex,
    current: str | None,
    refs: Refs,
    inverse: bool,
    prose: bool,
    seen: tuple[set[str], set[str]],
) -> None:
    """Add to ``refs`` what ``piece`` names; ``seen`` holds what ``refs.unknown`` and ``refs.external`` do."""
    target = refs.inverse if inverse else refs.keys
    have = set(target)
    spans = exception_spans(piece) if not inverse else []
    if spans:
        # `todos los de Backend salvo #222`: what the exception names is read apart, and kept out
        out = Refs([], False, [])
        for a, b in spans:
            scan(piece[a:b], index, current, out, False, prose, (set(), set()))
        have |= set(out.keys)
        piece = blanked(piece, spans)

    def add(k: str) -> None:
        if k != current and k not in have:
            have.add(k)
            target.append(k)

    def unknown(ref: str) -> None:
        if ref not in seen[0] and not inverse:
            seen[0].add(ref)
            refs.unknown.append(ref)

    all_prev = ALL_PREV_RE.search(piece) is not None and current in index.pos
    named = list(container_spans(piece, index))
    members = [member for _, _, ms in named for member in ms]
    piece = blanked(piece, [(a, b) for a, b, _ in named])
    crx = index._container_re
    if crx is not None:
        chunks: list[str] = []
        last = 0
        for m in crx.finditer(piece):
            members.extend(index.container_at(m))
            chunks.append(piece[last : m.start()])
            chunks.append(" " * (m.end() - m.start()))
            last = m.end()
        if chunks:
            piece = "".join(chunks) + piece[last:]
    if all_prev:
        # `todas las anteriores de la Entrega 3`: the earlier units of what it names, else all earlier ones
        earlier = index.keys[: index.pos[current]]  # type: ignore[index]
        within = set(members)
        for before in earlier:
            if not within or before in within:
                add(before)
    else:
        for member in members:
            add(member)
    if index.named and ("_" in piece or "-" in piece):
        # `بعد از `ingest_customers` اجرا می‌شود`: a unit named by its identifier, which holds no number
        for m in _IDENT_RE.finditer(piece):
            k = index.named.get(ident_form(m.group(0)))
            if k is not None:
                add(k)
    tokens = key_tokens(piece, index.slashed)
    wildcards: dict[str, list[str]] = {}
    in_parens = InParens(piece)
    opens = OpensBrackets(piece)
    prev_key: str | None = None
    prev_end = -1
    for m in tokens:
        hashed, tok = bool(m.group(1)), m.group(2)
        gap = piece[prev_end : m.start()] if prev_key is not None else ""
        # (`DP-15:DP-17`, a spreadsheet's range, too)
        ranged = gap == ":" or RANGE_GAP_RE.match(gap) is not None
        if prev_key is not None and ranged and key_range(index, prev_key, tok, add):
            prev_key = None
            continue
        previous = prev_key
        prev_key, prev_end = None, m.end()
        if not hashed and _NUMERIC_TOKEN_RE.fullmatch(tok) and version_of_name(piece, m.start()):
            continue  # `Wait for pyproj NumPy 2 wheels`: the version of a product, no unit
        if not hashed and _NUMERIC_TOKEN_RE.fullmatch(tok) and MEASURE_RE.match(piece, m.end()):
            continue  # `when the battery is under 3.3 V`: a quantity, no unit of work
        if (
            prose
            and not hashed
            and tok.isdecimal()
            and in_parens(m.start())
            and not listed(piece, m.start(), gap, opens)
        ):
            continue  # `(it must not exceed 4 concurrent jobs)`: a number in a remark, no unit
        k = index.resolve(tok)
        if k is not None and prose and not hashed and tok.isdecimal() and not _NUMERIC_TOKEN_RE.fullmatch(k):
            # `efter 2 s, BOR nivå 2`: a bare number in prose names `B02` only after a unit word (`Step 2`), or
            # written as the key writes it (`After 101 lands` for `SB-101`)
            # or right after the marker (`Depends on: 12` for `FEAT-012`) and the list it opens
            first = (m.start() < 8 and not piece[: m.start()].strip(" :：*_`(")) or (
                previous is not None and LIST_GAP_RE.fullmatch(gap) is not None  # `needs 12 and 14`
            )
            k = k if first or unit_word_before(piece, m.start()) or "".join(DIGITS_RE.findall(k)) == tok else None
            if k is None:
                continue
        if k is None:
            bare = _UNIT_WORD_PREFIX_RE.sub("", tok)
            k = index.resolve(bare) if bare != tok else None
        if k is not None:
            add(k)
            prev_key = k
            continue
        if split_range(index, tok, add):
            continue
        if (wild := _WILDCARD_RE.fullmatch(tok)) is not None:
            # `G.1.x`, `P6-*`: every key that opens so
            prefix = wild.group(1).lower()
            if prefix not in wildcards:
                wildcards[prefix] = index.opening_with(prefix)
            found = wildcards[prefix]
            for k in found:
                add(k)
            if found:
                continue
        members = index.numbered.get(tok) or index.numbered.get(norm_num(tok) or tok) or index.family(tok)
        if members:
            for k in members:
                add(k)
            continue
        if hashed and not index.local_shaped(tok):
            if f"#{tok}" not in seen[1]:
                seen[1].add(f"#{tok}")
                refs.external.append(f"#{tok}")  # `(blocked by #12)` beside keys that are no numbers
            continue
        if (
            index.local_shaped(tok)
            and not (prose and tok.isdecimal() and not hashed and not unit_word_before(piece, m.start()))
            and not in_parens(m.start())
        ):
            unknown(tok)


# an identifier joined by `_` or `-` (`stg_orders`, `dim-customer`), a word no prose is written in
_IDENT_RE = lazy_re(r"(?<![\w.-])[^\W\d_]\w*(?:[-_][^\W_]+)+(?![\w-])")
_NUMERIC_TOKEN_RE = lazy_re(r"\d+(?:\.\d+)*")
_WILDCARD_RE = lazy_re(r"([A-Za-z]*[.\-]?\d+(?:[.\-]\d+)*[.\-])[xX*]")
