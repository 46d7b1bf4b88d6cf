"""References to other units, as people write them: the one reference parser every reader uses.

A dependency text (a prerequisite cell, a ``Depends on:`` field, ``(blocked by #12)`` in prose) names
units in many ways.  :func:`parse_refs` reads them against a :class:`KeyIndex` of the document's keys:

- single keys, also in a shorter form of the document's keys (``001`` or ``VS-1`` for ``VS-001``, ``6-2``
  for ``P6-2``) when that form names exactly one unit;
- ranges: ``1.1-1.4``, ``VS-001..004``, ``P6-2~4``, ``3–5``, ``R1–R6``, ``Steps 2-5`` (document order, keys
  of the same shape as the first end);
- lists joined by anything (``,`` ``/`` ``·`` ``&`` ``and`` ``und`` ``y`` ``e`` ``et`` ``、`` ``，`` ``;``);
- containers: a name the reader supplies (``Phase 2``, ``the Store layer``, ``阶段4``) means its members;
  so do several at once (``Phases 3–5``, ``Phase 3+``, ``all user stories``);
- ``all previous`` (``alle vorherigen``, ``全部``, ``todas las anteriores``): every unit before this one;
- prose: in ``prose`` mode only what follows ``blocked on``, ``after``, ``requires``, ``needs``,
  ``depends on``, ``waiting for``… counts;
- inverse edges: what follows ``Blocks``, ``Unblocks``, ``Prerequisite for``, ``Required by`` depends on
  the current unit, and is returned in :attr:`Refs.inverse`;
- external references (``owner/repo#14``, ``other-repo#14``, a link into another file, ``api/ROADMAP.md
  task 3``, a ticket of another tracker in a dependency column) are kept as written in
  :attr:`Refs.external`, never resolved to a local key spelled the same;
- a reference shaped like the document's keys that names no unit is kept in :attr:`Refs.unknown`, so
  ``validate`` can report it.

Pure functions of the text and the index; nothing here reads a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from syncbot.readers.common import strip_inline
from syncbot.readers.container_refs import container_spans
from syncbot.readers.external_refs import externals, placed
from syncbot.readers.key_index import UNIT_WORDS, KeyIndex, ident_form, norm_num
from syncbot.readers.ref_ranges import UNIT_WORD_PREFIX_RE as _UNIT_WORD_PREFIX_RE
from syncbot.readers.ref_ranges import key_range, split_range
from syncbot.readers.ref_scope import CLAUSE_END_RE, InParens, clause_end, exception_spans, version_of_name
from syncbot.readers.regex_guard import first_guard, prefix_guard

# a candidate reference: alphanumeric runs joined by `-` `_` `.`, holding a digit (checked after matching)
# (letters of the alphabets keys are written in: Latin, Greek, Cyrillic — `Э1-2`; not CJK, where `阶段4` is two words)
_KEY_CHARS = "A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_TOKEN_RE = re.compile(rf"(?<![{_KEY_CHARS}_])(#?)(?=[{_KEY_CHARS}_.-]*\d)([{_KEY_CHARS}]+(?:[-_.][{_KEY_CHARS}]+)*)")
# (in a document whose keys are written `K3/4`, a slash joins a key's parts too, not two keys)
_SLASHED_TOKEN_RE = re.compile(
    rf"(?<![{_KEY_CHARS}_/])(#?)(?=[{_KEY_CHARS}_./-]*\d)([{_KEY_CHARS}]+(?:[-_./][{_KEY_CHARS}]+)*)"
)
_RANGE_GAP_RE = re.compile(
    r"^\s*(?:[–—~〜～]|-|\.\.\.?|to|through|thru|bis|a|à|até|al|tot|t/m|tot\s+en\s+met|s\.d\.|s/d|sampai(?:\s+dengan)?|hingga|till|до|do|đến|ila|sampai|至|到|から|ถึง|עד|إلى|से)\s*$",
    re.IGNORECASE,
)

_NONE_RE = re.compile(
    r"^\s*(?:none|nothing|no(?:ne)?\s+prerequisites?|n/?a|-+|—|–|independent|no dependencies|keine|ninguna?|"
    r"nenhuma?|aucune?|无|無|なし|없음|sin\s+dependencias|sem\s+dependências|无依赖|無依賴|依存なし|의존\s*없음)(?:\W|$)",
    re.IGNORECASE,
)
_ALL_PREV_RE = re.compile(
    r"\ball\s+(?:previous|prior|earlier|preceding|above|other)\b|\beverything\s+above\b|"
    r"\b(?:semua|seluruh)\s+(?:[^\W\d_]+\s+){0,3}di\s+atas\b|\byukarıdaki\s+(?:tüm|bütün)\b|"
    r"\btutt[ie]\s+(?:i|le|gli)\s+(?:[^\W\d_]+\s+)?precedenti\b|\btất\s+cả\s+(?:[^\W\d_]+\s+){0,3}ở\s+trên\b|\balle\s+(?:vorherigen|vorigen|früheren)\b|"
    r"\btod[oa]s\s+(?:l[oa]s\s+|[oa]s\s+)?anteriores\b|\btou(?:s|tes)\s+les\s+précédent(?:e?s)\b|"
    r"^\s*(?:全部|所有|すべて|全て)(?:的?(?:任务|任務|タスク))?\s*[)）\]】]?\s*$|(?:之前|以前|前面|以上|上述)的?(?:全部|所有)|(?:全部|所有)(?:之前|以前|前面)",
    re.IGNORECASE,
)
# (`the parallel run` is a thing, not a way of working: `After the parallel run (Step 11)` waits for it)
_PARALLEL = r"(?<!\bthe )(?<!\ba )parallel|concurrent|simultaneous|alongside|병렬|並行|并行"
_PARALLEL_RE = re.compile(rf"(?={first_guard(_PARALLEL)})(?:{_PARALLEL})", re.IGNORECASE)  # (regex_guard.py)
# a date: `2026-06-12`, `12/06`, `3/03`, `12/06/2026` (its month zero-padded, so `1/2` stays a list)
_DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b(?:0?[1-9]|[12]\d|3[01])/(?:0[1-9]|1[0-2])(?:/\d{2,4})?\b")
# a quantity is no reference: `2 days`, `3h`, `40%`
_QUANTITY_RE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:%|(?:h|hrs?|hours?|d|days?|w|weeks?|mins?|minutes?|pts?|points?|sp|files?|tasks|"
    r"attempts?|tries|retries|times|runs|rounds)\b)"
    r"|\d+\s*(?:초|秒|분|分钟|小时|時間|시간|天|일|日|周|週|주|个月|ヶ月|개월|次|회|번)"  # `30초 폴링`: 30 seconds
    r"|\b(?:week|wk|kw|woche|semaine|semana|settimana|tydzień)\s+\d+\b",  # `week 11`: a date, not unit 11
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"(?<=[.;])\s+")
_PAREN_RE = re.compile(r"\([^()]*\)")

# what follows names the units this one waits for / the units that wait for this one
_FORWARD = (
    r"blocked\s+(?:on|by)|blocked(?=\s*:)|waiting\s+(?:for|on)|waits\s+(?:for|on)|depends?\s+on|dependent\s+on|dependencies|"
    r"requires|required|needs|need(?=\s+(?:only\s+)?(?:the|[\w#-]*\d))|needed(?!\s+(?:by|for))|after|builds\s+on|built\s+on(?:\s+top\s+of)?|relies\s+on|rides\s+on|prerequisites?\s*:|prereqs?\s*:|until|not\s+before|"
    r"hasta\s+que|no\s+antes\s+de|jusqu['’]à\s+ce\s+que|pas\s+avant|erst,?\s+wenn|até\s+que|finché\s+non|"
    r"depend(?:s|e|en)?\s+(?:also|additionally|además|también|também)\s+(?:on|del?|d[aoe]s?)|"
    r"dépend\s+(?:aussi|également)\s+de|dipende\s+anche\s+da|hängt\s+(?:außerdem|auch|zusätzlich)\s+von|"
    r"depende\s+del?|después\s+del?|requiere|necesita|bloquead[oa]\s+por|tras|cuando|prerrequisitos?\s*:|"  # es
    r"após|depois\s+d[aoe]s?|depois\s+que|requer|precisa\s+d[aoe]s?|depende\s+d[aoe]s?|pré-requisitos?\s*:|"  # pt
    r"aguarda|aguardando|bloquead[oa]\s+pel[oa]s?|uma\s+vez\s+(?:concluíd|terminad|feit)[oa]s?|"  # pt
    r"una\s+vez\s+(?:terminad|completad|hech|cerrad)[oa]s?|esperando\s+(?:a|por)|"  # es
    r"abhängig\s+von|hängt\s+von|benötigt|erfordert|blockiert\s+durch|wartet\s+auf|nach|"  # de
    r"setzt(?=(?:[^.;\n]|\.(?=\d)){1,60}\bvoraus\b)|baut(?=[^.;\n]{1,60}\bauf\b)|aufbauend\s+auf|"
    r"braucht|brauchen|benötigen|erfordern|warten\s+auf|"  # de: `Setzt 2.1 voraus`, `braucht … aus 4.2`
    r"dépend\s+d(?:es|e|u)|après|nécessite|requiert|bloqué[e]?\s+par|attend|une\s+fois(?:\s+que)?|"  # fr
    r"pré-?requis\s*:|"
    r"dipende\s+dal(?:la|lo|le|l'|l’)?|dipende\s+da|richiede|bloccat[oa]\s+da(?:l|lla)?|dopo|"  # it
    r"после|зависит\s+от|ждёт|ждет|требует|нужн[оаы]|"  # ru
    r"po|wymaga|zależy\s+od|czeka\s+na|"  # pl
    r"sau\s+khi(?:\s+hoàn\s+thành)?|sau|phụ\s+thuộc(?:\s+vào)?|cần|chờ|"  # vi
    r"hangt\s+af\s+van|afhankelijk\s+van|vereist|wacht\s+op|geblokkeerd\s+door|"  # nl
    r"beror\s+på|kräver|väntar\s+på|blockeras\s+av|efter|"  # sv
    r"يعتمد\s+على|بعد|يتطلب|אחרי|תלוי\s+ב|חסום\s+על\s+ידי|דורש|หลังจาก|ขึ้นอยู่กับ|ต้องรอ|"  # ar, he, th
    r"setelah|butuh|tergantung|nunggu|menunggu|memerlukan|bergantung\s+pada|"  # id
    r"závisí\s+na|po\s+dokončení|vyžaduje|čeká\s+na|navazuje\s+na|"  # cs
    r"після|залежить\s+від|спирається\s+на|потребує|коли\s+завершені|чекає\s+на|"  # uk
    r"εξαρτάται\s+από|μετά\s+(?:το|την|τα|από)|απαιτεί|περιμένει|"  # el
    r"وابسته\s+به|پس\s+از|بعد\s+از|نیازمند|روی\s+خروجی|"  # fa
    r"vaatii|riippuu|odottaa|függ|igényli|inategemea|baada\s+ya|inahitaji|inasubiri|"  # fi hu sw
    r"kailangan(?:\s+(?:muna|din|rin))?(?:\s+ang)?|depende\s+sa|pagkatapos\s+ng|matapos\s+ang|hinihintay\s+ang|"  # tl
    r"depèn\s+de|després\s+de|requereix|bloquejat\s+per|"  # ca
    r"once|when|waits?\s+(?:on|for)|built\s+from|derived\s+from|on\s+the\s+output\s+of|deps?\.(?=\s)"  # en
)
# `### Implementación de HU1 (depende de T009 y T010)`: a heading's bracketed dependency, in any language
FORWARD_PAREN_RE = re.compile(rf"\((?:{_FORWARD})\s*:?\s+([^)]*)\)", re.IGNORECASE)
_INVERSE = (
    r"unblocks|blocks|blocking|block(?=\s+#?[A-Za-z]{0,8}-?\d)|prerequisite\s+(?:for|of|to)|required\s+by|needed\s+by|enables|feeds(?:\s+into)?|"
    # (`this started before Wave 1 was finished` tells what happened, not what waits)
    r"before(?<!started\sbefore)(?<!began\sbefore)(?<!begun\sbefore)(?<!shortly\sbefore)(?<!long\sbefore)|antes\s+d[eao]|avant|prima\s+d[ie]|перед|trước\s+khi|"
    r"prerequisito\s+(?:anche\s+)?(?:di|per)|prerrequisito\s+(?:de|para)|pré-requisito\s+(?:de|para)|"
    r"préalable\s+à|voraussetzung\s+für|"  # it es pt fr de: `è prerequisito di tutta la fase 3`
    r"خروجی\u200c?اش\s+ورودی|"  # fa: `its output is the input of`
    r"blockiert|bloquea|bloqueia|bloque|blocca|sblocca|desbloqueia|débloque|entsperrt|ontgrendelt|"
    r"후속\s*작업|блокирует|разблокирует|blokuje|odblokowuje|chặn|memblokir|wajib\s+ada\s+sebelum|harus\s+sebelum|sebelum"
)
# Chinese, Japanese and Korean markers need no word boundary; some follow what they name (`T3 完成后`)
# ... and those that make what follows wait for this unit (`同时阻塞 4.3`: also blocks 4.3)
_INVERSE_CJK = r"阻塞(?![于於性])|阻擋|阻挡|前提条件|後続タスク|后续任务"  # `阻塞于 T021` is blocked by it
_FORWARD_CJK = (
    r"阻塞[于於]|依赖于?|依賴|前提(?!条件)|依存|取决于|需要|等待|前置|待ち|선행|의존|ต่อจาก|หลังจาก|หลัง|ขึ้นอยู่กับ|ต้องรอ|รอ"
)
# `（Ｃ全体に依存）`: on all of C; `4.1 做完才能教`: once 4.1 is done
_AFTER_CJK = (
    r"完成之后|完成后|之后|以后|做完|弄完|搞定后|后再|後再|完了後|終了後|の後|以降|に依存|이후|후에|완료\s*후|끝나면|"
    # ja: once X is done, X first
    r"が終わってから|が終わったら|が終わり次第|が済んでから|が完了してから|が完了したら|が先|が前提|が必要|修正後|後に|"
    r"가\s*선행|이\s*선행|이\s*필요|가\s*필요"  # ja ko: X is the prerequisite, X is needed
)
# words that follow what they name, in languages with spaces: `3.1'den sonra` (tr), `3.1 के बाद` (hi)
_AFTER_WORDS = (
    r"tarafından\s+engelleniyor|tarafından\s+engellendi|bittikten\s+sonra|tamamlandıktan\s+sonra|sonra|bağlı|"
    r"gerektirir|के\s+बाद|पर\s+निर्भर|jälkeen|után|পরে|নির্ভর\s+করে|பிறகு|சார்ந்தது|"
    r"نیاز\s+دارد|ساخته\s+می\u200c?\s*شود"  # fa: `X نیاز دارد` needs X, `از X ساخته می‌شود` is built from X
)
# ... and those that make what they follow wait for this unit (`KRG-204'ü engelliyor`: blocks KRG-204)
# (`E5-S2, E5-S3 y E5-S4 dependen de esta`: those wait for this unit)
_AFTER_INVERSE = (
    r"engelliyor|engeller|ön\s*koşulu(?:dur)?|को\s+रोकता\s+है|dependen\s+de\s+(?:esta|este|ella|él)|dependem\s+d(?:esta|este|ela|ele)|"
    r"的前置(?:任务|条件|工作)?"  # zh: `是 TG-20 的前置`, it is TG-20's prerequisite
)
# a relation that is no dependency, ahead of what it names or after it (`related to X`, `X ile ilişkili`)
_RELATED = (
    r"related\s+to|relates\s+to|see\s+also|duplicates|duplicated\s+by|cloned\s+from|clones|siehe\s+auch|voir\s+aussi|"
    r"vedi\s+anche|véase\s+también|ver\s+também|zie\s+ook|se\s+även"
)
_AFTER_RELATED = r"ile\s+ilişkili|ile\s+ilgili"


def _first_chars(*alternations: str) -> str:
    """The characters the alternatives of ``alternations`` start with (each starts with a literal)."""
    out: set[str] = set()
    for alts in alternations:
        depth, start = 0, True
        for i, c in enumerate(alts):
            if start:
                assert c.isalpha(), alts[i:]
                out.add(c)
                start = False
            if c in "()" and alts[i - 1 : i] != "\\":
                depth += 1 if c == "(" else -1
            elif c == "|" and depth == 0:
                start = True
    return "".join(sorted(out))


# the lookahead at the front only lets the scan skip, at once, every position where no marker can start (a
# whole document is scanned for markers): the same matches, in half the time
_MARKER_FIRST = _first_chars(
    _INVERSE, _INVERSE_CJK, _FORWARD, _FORWARD_CJK, _AFTER_CJK, _AFTER_WORDS, _AFTER_INVERSE, _RELATED, _AFTER_RELATED
)
# ... and, at a position that passes, a trie of the literal text the markers start with (regex_guard.py) gives
# up at once inside a word or where no marker starts: the same matches again, in about half the time
_MARKER_GUARD = "(?:(?<![\\w-])(?={})|(?={}))".format(
    prefix_guard(_INVERSE, _FORWARD, _AFTER_WORDS, _AFTER_INVERSE, _RELATED, _AFTER_RELATED) or "",
    prefix_guard(_INVERSE_CJK, _FORWARD_CJK, _AFTER_CJK) or "",
)
MARKER_RE = re.compile(
    rf"(?=[{_MARKER_FIRST}]){_MARKER_GUARD}"
    rf"(?:(?<![\w-])(?P<rel>{_RELATED})(?![\w-])|(?<![\w-])(?P<postrel>{_AFTER_RELATED})(?![\w-])"
    rf"|(?<![\w-])(?P<inv>{_INVERSE})(?![\w-])|(?P<cjkinv>{_INVERSE_CJK})|(?<![\w-])(?P<fwd>{_FORWARD})(?![\w-])|(?P<cjk>{_FORWARD_CJK})"
    rf"|(?P<post>{_AFTER_CJK})|(?<![\w-])(?P<postw>{_AFTER_WORDS})(?![\w-])"
    rf"|(?<![\w-])(?P<postinv>{_AFTER_INVERSE})(?![\w-]))\s*:?",
    re.IGNORECASE,
)
_RELATION_RE = re.compile(rf"(?<![\w-])(?:{_RELATED}|{_AFTER_RELATED})(?![\w-])", re.IGNORECASE)
# a field label (`Blocks`, `Prerequisite for`) that makes every reference in its value an inverse edge
INVERSE_LABEL_RE = re.compile(rf"^\s*(?:{_INVERSE}|{_INVERSE_CJK})\s*:?\s*$", re.IGNORECASE)
_CLAUSE_END_RE = CLAUSE_END_RE


@dataclass
class Refs:
    keys: list[str]  # local keys this unit depends on, in the order written
    explicit_none: bool  # the text says there are none (`None`, `Nothing — we own this`)
    unknown: list[str]  # references shaped like this document's keys that name no unit
    inverse: list[str] = field(default_factory=list)  # local keys that depend on this unit (`Blocks: Y`)
    external: list[str] = field(default_factory=list)  # another document's or repository's units, as written

    @property
    def prerequisites(self) -> list[str]:
        """What the unit waits for, as a reader stores it: local keys, then unknown and external ones."""
        return [*self.keys, *self.unknown, *self.external]


def _clauses(text: str, prose: bool) -> list[tuple[str, bool]]:
    """Split ``text`` at dependency markers: (piece, inverse).  Outside ``prose`` the text before the first
    marker is a forward dependency; in prose only a marker's own clause names dependencies."""
    out: list[tuple[str, bool]] = []
    pos, inverse, active = 0, False, not prose
    for m in MARKER_RE.finditer(text):
        piece = text[pos : m.start()]
        if m.group("post") or m.group("postw") or m.group("postinv") or m.group("postrel"):
            # `T3 完成后开始`: the marker follows what it names, back to the start of its clause
            if prose:
                ends = list(_CLAUSE_END_RE.finditer(piece))
                piece = piece[ends[-1].end() :] if ends else piece
            if not m.group("postrel"):
                out.append((piece, m.group("postinv") is not None))
            pos, inverse, active = m.end(), False, not prose
            continue
        if m.group("rel"):
            # `related to KRG-211`: what follows is named, not waited for
            if active:
                out.append((piece, inverse))
            pos, inverse, active = m.end(), False, False
            continue
        if active:
            if prose:
                end = clause_end(piece)
                piece = piece[:end] if end is not None else piece
            out.append((piece, inverse))
        pos, inverse, active = m.end(), bool(m.group("inv") or m.group("cjkinv")), True
    piece = text[pos:]
    if active:
        if prose:
            end = clause_end(piece)
            piece = piece[:end] if end is not None else piece
        out.append((piece, inverse))
    return out


_STRUCK_REF_RE = re.compile(r"~~[^~\n]{1,80}~~")


def parse_refs(
    text: str,
    index: KeyIndex,
    current: str | None = None,
    foreign_ids: bool = False,
    *,
    prose: bool = False,
    inverse: bool = False,
) -> Refs:
    """The units a dependency text names (see the module docstring for the forms).

    ``current`` is the unit the text belongs to (never its own prerequisite; the reference point of "all
    previous").  With ``foreign_ids`` (the text is a dependency field) another tracker's ticket (``SEC-7``)
    is kept as an external reference.  With ``prose`` only clauses after a dependency marker count.  With
    ``inverse`` (the text is the value of a ``Blocks:`` field) every reference is an inverse edge.

    Worked out once a reading for equal indexes (the sections and thread readers read the same `Depends on:`
    fields of `## Session N:` plans against the same keys); each caller gets its own copy.
    """
    key = (text, current, foreign_ids, prose, inverse)
    r = index.answers.get(key)
    if r is None:
        r = index.answers[key] = _parse_refs(text, index, current, foreign_ids, prose, inverse)
    return Refs(list(r.keys), r.explicit_none, list(r.unknown), list(r.inverse), list(r.external))


def _parse_refs(text: str, index: KeyIndex, current: str | None, foreign_ids: bool, prose: bool, inverse: bool) -> Refs:
    found: list[str] = []
    if "~~" in text:  # `depende de ~~P2-2~~ P2-4`: a struck reference is one no longer waited for
        text = _STRUCK_REF_RE.sub(" ", text)
    raw = externals(text, index, foreign_ids, found)
    plain = strip_inline(raw)
    if any(map(str.isdigit, plain)):
        plain = _QUANTITY_RE.sub(" ", _DATE_RE.sub(" ", plain))
    # "Phase 2. Can run in parallel with 3·4": a sentence about parallel work names no dependency
    # (one in brackets is a remark: `Waits for step 7 and step 11 (it must not exceed 4 concurrent jobs)`)
    if _PARALLEL_RE.search(plain):
        plain = " ".join(p for p in _SENTENCE_END_RE.split(plain) if not _PARALLEL_RE.search(_PAREN_RE.sub(" ", p)))
    # outside prose every external reference counts, unless a relation that is no dependency names some
    # (`3.1; vedi anche italia/anpr#1432`); in prose only those inside a dependency clause
    scoped = prose or bool(found and _RELATION_RE.search(plain))
    refs = Refs([], False, [], [], [] if scoped else list(found))
    # what refs.unknown and refs.external hold, asked of sets (a line of 20,000 unknown keys or tickets)
    seen: tuple[set[str], set[str]] = (set(), set(refs.external))
    for piece, inv in _clauses(plain, prose):
        if scoped:
            for e in placed(piece, found):
                if e not in seen[1]:
                    seen[1].add(e)
                    refs.external.append(e)
        _scan(piece, index, current, refs, inverse or inv, prose, seen)
    # `(#439)` where this document's units are keyed `#439`: its own key, or another of its units
    local = [e for e in refs.external if e in index.pos]
    if local:
        gone, have = set(local), set(refs.keys)
        refs.external = [e for e in refs.external if e not in gone]
        for e in local:
            if e != current and e not in have:
                have.add(e)
                refs.keys.append(e)
    if not (refs.keys or refs.unknown or refs.inverse or refs.external):
        refs.explicit_none = not plain.strip() or bool(_NONE_RE.match(plain))
    return refs


def _blanked(piece: str, spans: list[tuple[int, int]]) -> str:
    """``piece`` with every span blanked (same length), in one pass: a line naming 50,000 containers is
    copied once, not once a span."""
    if not spans:
        return piece
    chunks: list[str] = []
    last = 0
    for a, b in sorted(spans):
        a = max(a, last)
        if b <= a:
            continue
        chunks.append(piece[last:a])
        chunks.append(" " * (b - a))
        last = b
    chunks.append(piece[last:])
    return "".join(chunks)


def _scan(
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
            _scan(piece[a:b], index, current, out, False, prose, (set(), set()))
        have |= set(out.keys)
        piece = _blanked(piece, spans)

    def add(k: str) -> None:
        if k != current and k not in have:
            have.add(k)
            target.append(k)

    def unknown(ref: str) -> None:
        if ref not in seen[0] and not inverse:
            seen[0].add(ref)
            refs.unknown.append(ref)

    if _ALL_PREV_RE.search(piece) and current in index.pos:
        for before in index.keys[: index.pos[current]]:
            add(before)
    named = list(container_spans(piece, index))
    for _, _, members in named:
        for member in members:
            add(member)
    piece = _blanked(piece, [(a, b) for a, b, _ in named])
    crx = index._container_re
    if crx is not None:
        chunks: list[str] = []
        last = 0
        for m in crx.finditer(piece):
            for member in index.container_at(m):
                add(member)
            chunks.append(piece[last : m.start()])
            chunks.append(" " * (m.end() - m.start()))
            last = m.end()
        if chunks:
            piece = "".join(chunks) + piece[last:]
    if index.named and ("_" in piece or "-" in piece):
        # `بعد از `ingest_customers` اجرا می‌شود`: a unit named by its identifier, which holds no number
        for m in _IDENT_RE.finditer(piece):
            k = index.named.get(ident_form(m.group(0)))
            if k is not None:
                add(k)
    tokens = list((_SLASHED_TOKEN_RE if index.slashed else _TOKEN_RE).finditer(piece))
    wildcards: dict[str, list[str]] = {}
    in_parens = InParens(piece)
    prev_key: str | None = None
    prev_end = -1
    for m in tokens:
        hashed, tok = bool(m.group(1)), m.group(2)
        gap = piece[prev_end : m.start()] if prev_key is not None else ""
        # (`DP-15:DP-17`, a spreadsheet's range, too)
        ranged = gap == ":" or _RANGE_GAP_RE.match(gap) is not None
        if prev_key is not None and ranged and key_range(index, prev_key, tok, add):
            prev_key = None
            continue
        previous = prev_key
        prev_key, prev_end = None, m.end()
        if not hashed and _NUMERIC_TOKEN_RE.fullmatch(tok) and version_of_name(piece, m.start()):
            continue  # `Wait for pyproj NumPy 2 wheels`: the version of a product, no unit
        if not hashed and _NUMERIC_TOKEN_RE.fullmatch(tok) and _MEASURE_RE.match(piece, m.end()):
            continue  # `when the battery is under 3.3 V`: a quantity, no unit of work
        if prose and not hashed and tok.isdecimal() and in_parens(m.start()) and not _listed(piece, m.start(), gap):
            continue  # `(it must not exceed 4 concurrent jobs)`: a number in a remark, no unit
        k = index.resolve(tok)
        if k is not None and prose and not hashed and tok.isdecimal() and not _NUMERIC_TOKEN_RE.fullmatch(k):
            # `efter 2 s, BOR nivå 2`: a bare number in prose names `B02` only after a unit word (`Step 2`), or
            # written as the key writes it (`After 101 lands` for `SB-101`)
            # or right after the marker (`Depends on: 12` for `FEAT-012`) and the list it opens
            first = (m.start() < 8 and not piece[: m.start()].strip(" :：*_`(")) or (
                previous is not None and _LIST_GAP_RE.fullmatch(gap) is not None  # `needs 12 and 14`
            )
            k = k if first or _unit_word_before(piece, m.start()) or "".join(_DIGITS_RE.findall(k)) == tok else None
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
            and not (prose and tok.isdecimal() and not hashed and not _unit_word_before(piece, m.start()))
            and not in_parens(m.start())
        ):
            unknown(tok)


_NUMBERS_ONLY_RE = re.compile(r"[\s*_`\d,;/&–—~.-]*")


def _listed(piece: str, at: int, gap: str) -> bool:
    """Whether a bare number at ``at`` in brackets is named as a unit: opening them (`після демонтажу (4)`), right
    after the marker, after a unit word (`step 2`), or in a list after one (`(5–10, 13–15)`)."""
    opens = _NUMBERS_ONLY_RE.fullmatch(piece, piece.rfind("(", 0, at) + 1, at) is not None
    return opens or _unit_word_before(piece, at) or _LIST_GAP_RE.fullmatch(gap) is not None


# an identifier joined by `_` or `-` (`stg_orders`, `dim-customer`), a word no prose is written in
_IDENT_RE = re.compile(r"(?<![\w.-])[^\W\d_]\w*(?:[-_][^\W_]+)+(?![\w-])")
_NUMERIC_TOKEN_RE = re.compile(r"\d+(?:\.\d+)*")
_DIGITS_RE = re.compile(r"\d+")
_LIST_GAP_RE = re.compile(r"\s*(?:,|&|/|、|\band\b|\by\b|\be\b|\bet\b|\bund\b|\bi\b)\s*", re.IGNORECASE)
_WILDCARD_RE = re.compile(r"([A-Za-z]*[.\-]?\d+(?:[.\-]\d+)*[.\-])[xX*]")
_MEASURE_RE = re.compile(
    r"\s?(?:[mµk]?[VAWg]|[mµ]?s|h|min|km|cm|mm|m|kg|[KMGT]i?B|°C?|%|€|x|×|Hz|kHz|MHz|GHz|dBm?|px|pt|rpm)(?![\w.-])"
)


def _unit_word_before(piece: str, start: int) -> bool:
    """Whether a unit word ends the text before ``start``, spaces aside (`Step 3`): looked for among the ten
    characters before the spaces (the longest word; `work packets` ends with `packets`), not in a copy of
    all the text before (a prose line of 20,000 numbers took minutes)."""
    j = start
    while j > 0 and piece[j - 1].isspace():
        j -= 1
    return _UNIT_WORD_END_RE.search(piece, max(0, j - 10), j) is not None


_UNIT_WORD_END_RE = re.compile(rf"{UNIT_WORDS}$", re.IGNORECASE)
