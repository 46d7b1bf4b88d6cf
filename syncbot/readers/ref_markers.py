"""The words around references, in the languages trackers are written in: those that open a dependency clause
(`depends on`, `blocked by`, `依赖`, `setzt … voraus`), those that make the units named wait for this one
(`blocks`, `prerequisite for`, `的前置`), those that follow the units they name (`T3 完成后`, `3.1'den sonra`),
and relations that are no dependency (`related to`, `see also`): :data:`MARKER_RE` finds any of them in one
scan.  And the words of what a reference text holds besides references: ranges (`3 to 5`), `none`, `all
previous`, `in parallel with`, dates and quantities.  :mod:`syncbot.readers.refs` reads the references.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.regex_guard import first_guard, prefix_guard

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
    r"после|завис(?:ит|ят)\s+от|ждёт|ждет|требует|нужн[оаы]|"  # ru
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
FORWARD_PAREN_RE = lazy_re(rf"\((?:{_FORWARD})\s*:?\s+([^)]*)\)", re.IGNORECASE)
_INVERSE = (
    r"unblocks|blocks|blocking|block(?=\s+#?[A-Za-z]{0,8}-?\d)|prerequisite\s+(?:for|of|to)|required\s+by|needed\s+by|enables|feeds(?:\s+into)?|"
    # (`this started before Wave 1 was finished` tells what happened, not what waits)
    r"before(?<!started\sbefore)(?<!began\sbefore)(?<!begun\sbefore)(?<!shortly\sbefore)(?<!long\sbefore)|antes\s+d[eao]|avant|prima\s+d[ie]|перед|trước\s+khi|"
    r"prerequisito\s+(?:anche\s+)?(?:di|per)|prerrequisito\s+(?:de|para)|pré-requisito\s+(?:de|para)|"
    r"préalable\s+à|voraussetzung\s+für|"  # it es pt fr de: `è prerequisito di tutta la fase 3`
    r"خروجی\u200c?اش\s+ورودی|"  # fa: `its output is the input of`
    r"blockiert|bloquea|bloqueia|bloque(?!\s+de)|blocca|sblocca|desbloqueia|débloque|entsperrt|ontgrendelt|"
    r"후속\s*작업|блокирует|разблокирует|blokuje|odblokowuje|chặn|memblokir|wajib\s+ada\s+sebelum|harus\s+sebelum|sebelum"
)
# Chinese, Japanese and Korean markers need no word boundary; some follow what they name (`T3 完成后`)
# ... and those that make what follows wait for this unit (`同时阻塞 4.3`: also blocks 4.3)
_INVERSE_CJK = (
    r"阻塞(?![于於性]|\s*[）\)。，,；;]|\s*$)|阻擋|阻挡|前提条件|後続タスク|后续任务"  # `阻塞于 T021` is blocked by it
)
# (`需第 3、6 项完成`: needs; not `需求`, requirements)
_FORWARD_CJK = (
    r"阻塞[于於]|依赖于?|需(?![要求])|依賴|前提(?!条件)|依存|取决于|需要|等待|前置|待ち|선행|의존|"
    r"ต่อจาก|หลังจาก|หลัง|ขึ้นอยู่กับ|ต้องรอ|รอ|"
    r"⛓"  # `⛓ ACME-31`: a chain, what the card is chained to
)
# `（Ｃ全体に依存）`: on all of C; `4.1 做完才能教`: once 4.1 is done
_AFTER_CJK = (
    r"完成之后|完成后|之后|以后|做完|弄完|搞定后|后再|後再|完了後|終了後|の後|以降|に依存|이후|후에|완료\s*후|끝나면|"
    r"上线后|上線後|发布后|發布後|合并后|合併後|"  # `等 API-4 上线后`: once API-4 is live, released, merged
    r"阻塞(?=\s*[）\)。，,；;]|\s*$)|"  # `（被 #49 阻塞）`: blocked by #49, the marker closing what it names
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
                assert c.isalpha() or c == "⛓", alts[i:]
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
# up at once inside a word or where no marker starts: the same matches again, in about half the time.  The
# trie of the markers that need no word boundary (CJK) is tried only at a character one of them starts with:
# ``re`` tries its forty branches one by one, at every letter inside every word (a 20,000-task list's scan
# took 0.085 s, 0.05 s so)
_MARKER_GUARD = "(?:(?<![\\w-])(?={})|(?={})(?={}))".format(
    prefix_guard(_INVERSE, _FORWARD, _AFTER_WORDS, _AFTER_INVERSE, _RELATED, _AFTER_RELATED) or "",
    first_guard(_INVERSE_CJK, _FORWARD_CJK, _AFTER_CJK) or "",
    prefix_guard(_INVERSE_CJK, _FORWARD_CJK, _AFTER_CJK) or "",
)
MARKER_RE = lazy_re(
    rf"(?=[{_MARKER_FIRST}]){_MARKER_GUARD}"
    rf"(?:(?<![\w-])(?P<rel>{_RELATED})(?![\w-])|(?<![\w-])(?P<postrel>{_AFTER_RELATED})(?![\w-])"
    rf"|(?<![\w-])(?P<inv>{_INVERSE})(?![\w-])|(?P<cjkinv>{_INVERSE_CJK})|(?<![\w-])(?P<fwd>{_FORWARD})(?![\w-])|(?P<cjk>{_FORWARD_CJK})"
    rf"|(?P<post>{_AFTER_CJK})|(?<![\w-])(?P<postw>{_AFTER_WORDS})(?![\w-])"
    rf"|(?<![\w-])(?P<postinv>{_AFTER_INVERSE})(?![\w-]))\s*:?",
    re.IGNORECASE,
)
RELATION_RE = lazy_re(rf"(?<![\w-])(?:{_RELATED}|{_AFTER_RELATED})(?![\w-])", re.IGNORECASE)
# a field label (`Blocks`, `Prerequisite for`) that makes every reference in its value an inverse edge
INVERSE_LABEL_RE = lazy_re(rf"^\s*(?:{_INVERSE}|{_INVERSE_CJK})\s*:?\s*$", re.IGNORECASE)

RANGE_GAP_RE = lazy_re(
    r"^\s*(?:[–—~〜～…]|-|\.\.\.?|to|through|thru|bis|a|à|até|al|tot|t/m|tot\s+en\s+met|s\.d\.|s/d|sampai(?:\s+dengan)?|hingga|till|до|do|đến|ila|sampai|至第?|到第?|から|ถึง|עד|إلى|से)\s*$",
    re.IGNORECASE,
)
NONE_RE = lazy_re(
    r"^\s*(?:none|nothing|no(?:ne)?\s+prerequisites?|n/?a|-+|—|–|independent|no dependencies|keine|ninguna?|"
    r"nenhuma?|aucune?|无|無|なし|없음|sin\s+dependencias|sem\s+dependências|无依赖|無依賴|依存なし|의존\s*없음)(?:\W|$)",
    re.IGNORECASE,
)
ALL_PREV_RE = lazy_re(
    r"\ball\s+(?:previous|prior|earlier|preceding|above|other)\b|\beverything\s+above\b|"
    r"\b(?:semua|seluruh)\s+(?:[^\W\d_]+\s+){0,3}di\s+atas\b|\byukarıdaki\s+(?:tüm|bütün)\b|"
    r"\btutt[ie]\s+(?:i|le|gli)\s+(?:[^\W\d_]+\s+)?precedenti\b|\btất\s+cả\s+(?:[^\W\d_]+\s+){0,3}ở\s+trên\b|\balle\s+(?:vorherigen|vorigen|früheren)\b|"
    r"\btod[oa]s\s+(?:l[oa]s\s+|[oa]s\s+)?anteriores\b|\btou(?:s|tes)\s+les\s+précédent(?:e?s)\b|"
    r"^\s*(?:全部|所有|すべて|全て)(?:的?(?:任务|任務|タスク))?\s*[)）\]】]?\s*$|(?:之前|以前|前面|以上|上述)的?(?:全部|所有)|(?:以上|上述)(?:各项|各項)|(?:全部|所有)(?:之前|以前|前面)",
    re.IGNORECASE,
)
# (`the parallel run` is a thing, not a way of working: `After the parallel run (Step 11)` waits for it)
PARALLEL = r"(?<!\bthe )(?<!\ba )parallel|concurrent|simultaneous|alongside|병렬|並行|并行"
PARALLEL_RE = lazy_re(rf"(?={first_guard(PARALLEL)})(?:{PARALLEL})", re.IGNORECASE)  # (regex_guard.py)
# a date: `2026-06-12`, `12/06`, `3/03`, `12/06/2026` (its month zero-padded, so `1/2` stays a list)
DATE_RE = lazy_re(r"\b\d{4}-\d{2}-\d{2}\b|\b(?:0?[1-9]|[12]\d|3[01])/(?:0[1-9]|1[0-2])(?:/\d{2,4})?\b")
# a quantity is no reference: `2 days`, `3h`, `40%`
QUANTITY_RE = lazy_re(
    r"\b\d+(?:\.\d+)?\s*(?:%|(?:h|hrs?|hours?|d|days?|w|weeks?|mins?|minutes?|pts?|points?|sp|files?|tasks|"
    r"attempts?|tries|retries|times|runs|rounds)\b)"
    # `30초 폴링`: 30 seconds (from a number's first digit: tried at every digit, a long run took square time)
    r"|(?<!\d)\d+\s*(?:초|秒|분|分钟|小时|時間|시간|天|일|日|周|週|주|个月|ヶ月|개월|次|회|번)"
    r"|\b(?:week|wk|kw|woche|semaine|semana|settimana|tydzień)\s+\d+\b",  # `week 11`: a date, not unit 11
    re.IGNORECASE,
)
LIST_GAP_RE = lazy_re(r"\s*(?:,|&|/|、|\band\b|\by\b|\be\b|\bet\b|\bund\b|\bi\b)\s*", re.IGNORECASE)
MEASURE_RE = lazy_re(
    r"\s?(?:[mµk]?[VAWg]|[mµ]?s|h|min|km|cm|mm|m|kg|[KMGT]i?B|°C?|%|€|x|×|Hz|kHz|MHz|GHz|dBm?|px|pt|rpm)(?![\w.-])"
)


# `⛓ ACME-31` is what the card is chained to, waits for; unless the document says its chain blocks the cards
# named (`⛓ = 挡住了别的卡片`, `⛓ = blocks other cards`): set for the length of one reading
_CHAIN_DEFINED_RE = lazy_re(
    r"⛓\ufe0f?[`*_]*\s*(?:=|:|：|—|–)\s*[^\n]{0,40}?(?:blocks|blocking|挡住|擋住|阻塞|阻擋|bloquea|blockiert|bloque)",
    re.IGNORECASE,
)
_CHAIN_BLOCKS = False


@contextmanager
def reading_chains(text: str) -> Iterator[None]:
    """While a document is read: whether its `⛓` blocks what it names (see ``_CHAIN_DEFINED_RE``)."""
    global _CHAIN_BLOCKS
    before = _CHAIN_BLOCKS
    _CHAIN_BLOCKS = "⛓" in text and _CHAIN_DEFINED_RE.search(text) is not None
    try:
        yield
    finally:
        _CHAIN_BLOCKS = before


def chain_blocks(marker: str) -> bool:
    """Whether ``marker`` (a match of ``MARKER_RE``) is a chain that, in the document read, blocks."""
    return _CHAIN_BLOCKS and marker.lstrip().startswith("⛓")
