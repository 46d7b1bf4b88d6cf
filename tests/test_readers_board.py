"""The board reader: kanban lanes written as headings, in any language, one card per bullet under them."""

from __future__ import annotations

import pytest

from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document


def read(text: str) -> tuple[str, dict[str, tuple[str, Status]]]:
    tracker, _ = read_document(Document("board.md", text))
    return tracker.shape, {s.key: (s.title, s.status) for s in tracker.sessions}


def test_lanes_in_spanish_give_their_cards_a_status_and_bold_ids_are_keys() -> None:
    """`## Pendiente / ## En curso / ## Bloqueado / ## Hecho` are lanes; `**#36** Reseñas` is card 36."""
    shape, cards = read(
        "# Tablero\n\n## Pendiente\n\n- **#36** Reseñas con fotos\n- **#37** Recomendaciones — después de #36\n\n"
        "## En curso\n\n- **#27** Catálogo con filtros (Marta)\n\n"
        "## Bloqueado\n\n- **#33** Envíos — bloqueado por #28\n\n"
        "## Hecho\n\n- **#28** Contrato con Estafeta\n"
    )
    assert shape == "board"
    assert cards["36"] == ("Reseñas con fotos", Status.PLANNED)
    assert cards["27"][1] is Status.IN_PROGRESS
    assert cards["33"][1] is Status.BLOCKED
    assert cards["28"][1] is Status.DONE


def test_checkbox_cards_with_ids_take_their_lane_and_a_struck_lane_is_dropped() -> None:
    """`- [ ] T011 …` under `## 进行中` is in progress though its box is open: the lane says where it is.
    A lane whose name is no status word (`## 已搁置`) but whose id'd cards are all struck through holds
    dropped cards."""
    shape, cards = read(
        "# 看板\n\n## 待办\n\n- [ ] T014 优惠券叠加规则\n- [ ] T016 订单评价\n\n"
        "## 进行中\n\n- [ ] T011 购物车本地缓存\n"
        "- [ ] T012 门店列表\n\n## 已完成\n\n- [x] T001 项目脚手架\n- [x] T002 手机号登录\n\n"
        "## 已搁置\n\n- ~~T023 直播带货~~（取消）\n- ~~T024 拼团~~ 被 T014 替代\n"
    )
    assert shape == "board"
    assert cards["T011"] == ("购物车本地缓存", Status.IN_PROGRESS)
    assert cards["T014"][1] is Status.PLANNED
    assert cards["T001"][1] is Status.DONE
    assert cards["T023"] == ("直播带货（取消）", Status.DROPPED)
    assert cards["T024"][1] is Status.DROPPED


def test_a_card_that_strikes_out_its_lane_says_where_it_goes() -> None:
    """`**#41** PWA — ~~descartado~~ reabierto, pasa a Pendiente` under `## Descartado` was reopened."""
    _, cards = read(
        "# Tablero\n\n## Pendiente\n\n- **#36** Reseñas\n\n## Hecho\n\n- **#28** Contrato\n\n"
        "## Descartado\n\n- ~~**#19** App nativa~~\n- **#41** PWA — ~~descartado~~ reabierto, pasa a Pendiente\n"
    )
    assert cards["19"][1] is Status.DROPPED
    assert cards["41"][1] is Status.PLANNED


def test_a_lane_before_every_column_whose_cards_carry_ids_is_the_intake() -> None:
    """`## 💡 Ideas` is no status word, but it is the board's leftmost lane and its cards are keyed like the
    others: they wait to be started."""
    shape, cards = read(
        "# Tablero\n\n## 💡 Ideas\n\n- #61 Recordatorio por WhatsApp\n- #63 Modo alto contraste\n\n"
        "## 📋 Por hacer\n\n- #44 Lista de espera (depende de #31)\n\n"
        "## 🚧 En curso\n\n- #38 Cancelación de citas\n\n## ✅ Hecho\n\n- #31 Agenda\n"
    )
    assert shape == "board"
    assert cards["61"] == ("Recordatorio por WhatsApp", Status.PLANNED)
    assert cards["63"][1] is Status.PLANNED
    assert cards["38"][1] is Status.IN_PROGRESS


def test_a_board_exported_as_a_list_has_lanes_as_items_and_cards_nested_under_them() -> None:
    """A Trello export: `- **Lista: Kész ✅**` is a lane (the `Lista:` label, then a status), the nested
    `**[KK-12] Közgyűlés** · Függ: KK-11` bullets are its cards, named by their bold run, and a card's own
    boxes are its checklist.  The first lane, named by no status we know, is the board's intake; a lane of
    struck-through cards was dropped."""
    text = (
        "# Trello export\n\n"
        "- **Lista: Teendők**\n  - **[KK-21] Terembérlés** · felelős: Tóth\n"
        "    - Ellenőrzőlista (0/2)\n      - [ ] árajánlat\n      - [ ] szerződés\n"
        "- **Lista: Folyamatban**\n  - **[KK-18] Honlap** · felelős: Kovács\n"
        "- **Lista: Kész ✅**\n  - **[KK-11] Meghívó**\n  - **[KK-12] Közgyűlés** · Függ: KK-11\n"
        "- **Lista: Archivált**\n  - ~~**[KK-09] Webshop**~~ — túl sok\n"
    )
    tracker, _ = read_document(Document("board.md", text))
    assert tracker.shape == "board"
    cards = {s.key: s for s in tracker.sessions}
    assert list(cards) == ["KK-21", "KK-18", "KK-11", "KK-12", "KK-09"]
    assert (cards["KK-21"].title, cards["KK-21"].status, len(cards["KK-21"].checklist)) == (
        "Terembérlés",
        Status.PLANNED,
        2,
    )
    assert cards["KK-18"].status is Status.IN_PROGRESS
    assert (cards["KK-12"].status, cards["KK-12"].prerequisites) == (Status.DONE, ["KK-11"])
    assert cards["KK-09"].status is Status.DROPPED


def test_lanes_named_in_two_languages() -> None:
    # `📋 本周可以开始 Ready`: the English word names the lane; a remark in full-width brackets is no part of it
    shape, units = read(
        """# 看板

## 📥 待办 Backlog

- **RM-31** 拨盘重新设计

## 📋 本周可以开始 Ready

- **RM-24** 串口协议升级

## 🚧 进行中 Doing

- **RM-22** 发射机构测试

## 👀 待验收 Review

- **RM-28** 遥控器断联保护

## ✅ 已完成 Done（本赛季）

- **RM-21** 自瞄

## 🗑️ 不做了 Won't do

- ~~**RM-15** 吊射抬升机构~~
"""
    )
    assert shape == "board"
    assert {k: st for k, (_, st) in units.items()} == {
        "RM-31": Status.PLANNED,
        "RM-24": Status.READY,
        "RM-22": Status.IN_PROGRESS,
        "RM-28": Status.IN_PROGRESS,
        "RM-21": Status.DONE,
        "RM-15": Status.DROPPED,
    }


def test_a_lane_named_twice_takes_the_status_of_its_first_name() -> None:
    shape, units = read(
        "# Board\n\n## 📋 Backlog\n\n- **#40** Save slots\n\n## 🔨 Doing\n\n- **#46** Room templates\n\n"
        "## 👀 Review / Playtest\n\n- **#39** Parry mechanic\n\n## ✅ Done\n\n- **#30** Title screen\n"
    )
    assert shape == "board"
    assert units["39"][1] is Status.IN_PROGRESS


def test_a_lane_named_twice_or_with_a_remark_is_a_lane_and_a_mark_after_a_dependency_is_its_state() -> None:
    """`## 🧪 Em revisão / QA` is a lane by its first name, `## 🚧 Em andamento <sub>WIP máx. 4</sub>` by its
    status before the remark, `## 🔜 Pronto pra começar` is ready (not `pronto`, done).  `— depende de
    CHK-108 (✔)` says the prerequisite is done, not the card."""
    shape, cards = read(
        "# Quadro\n\n## 📥 Backlog\n\n- **CHK-131** Cupom progressivo — depende de CHK-118\n\n"
        "## 🔜 Pronto pra começar\n\n- **CHK-127** Endpoint de rastreio — depende de CHK-108 (✔)\n\n"
        "## 🚧 Em andamento  <sub>WIP máx. 4</sub>\n\n- **CHK-118** Motor de promoções\n\n"
        "## 🧪 Em revisão / QA\n\n- **CHK-115** Reserva de estoque — PR #482\n\n"
        "## ✅ Concluído\n\n- ~~**CHK-108** Tabela CEP~~ ✔\n\n## Métricas\n\n- nada\n\n## Notas\n\n- nada\n"
    )
    assert shape == "board"
    assert cards["CHK-127"][1] is Status.READY
    assert cards["CHK-118"][1] is Status.IN_PROGRESS
    assert cards["CHK-115"][1] is Status.IN_PROGRESS
    assert cards["CHK-108"][1] is Status.DONE


def test_cards_keyed_by_an_epic_number_and_a_letter() -> None:
    """`**01.D**`: the epic's number, a dot, the ticket's letter; `En proceso` is a lane of work in progress."""
    tracker, _ = read_document(
        Document(
            "board.md",
            "# Tablero\n\n## Backlog\n\n- **01.D** Reintentos — depende de 01.B\n- **05.C** Incidencias\n\n"
            "## 🔨 En proceso\n\n- **03.A** Modelo de ETA\n  - requiere 01.A–01.C\n\n"
            "## En revisión\n\n- **01.C** Ingesta de Samsara\n\n"
            "## ✅ Terminado\n\n- **01.A** Conector MQTT\n- **01.B** Normalizar eventos · depende de 01.A\n",
        )
    )
    cards = {s.key: s for s in tracker.sessions}
    assert list(cards) == ["01.D", "05.C", "03.A", "01.C", "01.A", "01.B"]
    assert cards["03.A"].status is Status.IN_PROGRESS
    assert cards["01.D"].prerequisites == ["01.B"]
    assert cards["03.A"].prerequisites == ["01.A", "01.B", "01.C"]


def test_a_todo_of_now_next_and_someday_lanes() -> None:
    """`## Now` / `## Next` / `## Someday / maybe`: lanes of time; someday is not started."""
    shape, cards = read(
        "# TODO\n\n## Now\n\n- [~] Gapless playback\n\n## Next\n\n- [ ] Lyrics pane\n\n"
        "## Someday / maybe\n\n- [ ] Last.fm scrobbling\n- [ ] Windows support\n\n## Done\n\n- [x] Queue\n"
    )
    assert shape == "board"
    assert [st for _, st in cards.values()] == [
        Status.IN_PROGRESS,
        Status.READY,
        Status.PLANNED,
        Status.PLANNED,
        Status.DONE,
    ]


def test_a_board_drawn_as_a_table_one_column_per_lane() -> None:
    """`| To do | In progress | Done |` over cells of cards: each card takes its column's status; marking one
    is refused with the line, since moving a cell is not a rewrite of a status word."""
    from syncbot.writer import WriteError, set_statuses

    doc = Document(
        "board.md",
        "# Sprint\n\n| To do | In progress | Done |\n|---|---|---|\n"
        "| BK-12 Password reset | BK-9 Checkout | BK-1 Login |\n| BK-13 Wishlist | | BK-2 Signup |\n",
    )
    tracker, _ = read_document(doc)
    assert tracker.shape == "board"
    assert [(s.key, s.status) for s in tracker.sessions] == [
        ("BK-12", Status.PLANNED),
        ("BK-9", Status.IN_PROGRESS),
        ("BK-1", Status.DONE),
        ("BK-13", Status.PLANNED),
        ("BK-2", Status.DONE),
    ]
    with pytest.raises(WriteError, match=r"board\.md:5"):
        set_statuses(doc, tracker, {"BK-12": Status.DONE})
