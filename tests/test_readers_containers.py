"""Units keyed and grouped the way a writer lays them out, whatever reader finds them: an id after a heading's
status mark, groups written as `<details>` blocks, bold labels or lettered headings, and units named by
their identifiers in prose."""

from __future__ import annotations

from syncbot.readers import read_document
from syncbot.readers.common import Document


def _read(text: str) -> dict[str, tuple[str, list[str]]]:
    tracker, _ = read_document(Document("R.md", text))
    return {s.key: (s.status.value, s.prerequisites) for s in tracker.sessions}


def test_an_id_after_a_headings_status_mark_is_its_key() -> None:
    # the marks mean what the document's legend says they mean
    text = """# Mpango wa Kazi

| Alama | Maana |
| --- | --- |
| ✅ | Imekamilika |
| 🕓 | Haijaanza |
| ❌ | Imefutwa |

## Awamu A — Maandalizi

### ✅ A1. Mkutano wa kijiji
Wanakijiji walihudhuria.

### ✅ A2. Utafiti wa vyanzo
Inategemea: A1.

## Awamu B — Ujenzi

### 🕓 B1. Uchimbaji wa kisima
Inategemea: A2.

### ❌ B2. Bwawa la mifugo
Limefutwa.

### 🕓 B3. Pampu
Baada ya B1.

### 🕓 C1. Makabidhiano
Inategemea kazi zote za Awamu B (isipokuwa B2 iliyofutwa) pamoja na A2.
"""
    got = _read(text)
    assert list(got) == ["A1", "A2", "B1", "B2", "B3", "C1"]
    assert got["A2"] == ("done", ["A1"])
    assert got["B3"] == ("planned", ["B1"])
    # all of a lettered part but the unit the exception names, then what is added again
    assert sorted(got["C1"][1]) == ["A2", "B1", "B3"]


def test_a_details_block_is_a_container() -> None:
    text = """# NumPy 2 support

<details open>
<summary><b>Phase 1 — Preparation</b> (done)</summary>

- [x] 1. Pin the build requirements
- [x] 2. Audit the C API use

</details>

<details>
<summary><b>Phase 2 — Tests</b></summary>

- [ ] 3. Wait for pyproj NumPy 2 wheels
- [ ] 4. Make the CI job required (after phase 1 and 3)

</details>
"""
    got = _read(text)
    assert got["3"][1] == []  # `NumPy 2` is a version, not unit 2
    assert sorted(got["4"][1]) == ["1", "2", "3"]


def test_a_bold_label_is_a_container_and_an_exception_leaves_a_member_out() -> None:
    text = """## Épica

**Backend**

- [x] #14 Modelo de datos
- [x] #15 Catálogos
- [ ] #18 Cliente del PAC — depende de #14, #15

**Operación**

- [ ] #28 Piloto — depende de todos los de Backend salvo #15
- [ ] #33 Capacitación — después del manual (#28)
"""
    got = _read(text)
    assert got["28"][1] == ["14", "18"]
    assert got["33"][1] == ["28"]  # a key in brackets after the words that name it


def test_sections_named_by_identifiers_depend_on_each_other_by_name() -> None:
    text = """# Pipeline

### `ingest_orders`
**Status:** done
Its output feeds `stg_orders`.

### `ingest_customers`
**Status:** done

### `stg_orders`
**Status:** done

### `stg_customers`
Runs after `ingest_customers`.
**Status:** in progress

### `fct_sales`
Built from `stg_orders` and `stg_customers`.
**Status:** not started
"""
    got = _read(text)
    assert got["stg-orders"][1] == ["ingest-orders"]
    assert got["stg-customers"][1] == ["ingest-customers"]
    assert got["fct-sales"][1] == ["stg-orders", "stg-customers"]


def test_a_lane_is_no_container() -> None:
    # `## 🧪 En recette` groups cards by how far they are: `après la mise en recette` does not name them
    text = """# Refonte du site

## 📥 À faire

### SITE-20 · Formation des agents
- Après la mise en recette du lot (SITE-10, SITE-11)

## 🧪 En recette

### SITE-05 · Gabarits de pages

### SITE-10 · Moteur de recherche

### SITE-11 · Reprise des contenus
"""
    assert _read(text)["SITE-20"][1] == ["SITE-10", "SITE-11"]


def test_a_plan_of_paragraphs_led_by_bold_ids() -> None:
    # a plan written as prose: each paragraph a unit, its sentences (wrapped over lines) its dependencies,
    # and a section's opening sentence a dependency of every unit in it
    text = """# PLAN

## Phase 1 — Data

**P1-1 · Dataset registry** — _done_.
YAML registry of eval sets.

**P1-2 · Loader** — _wip_ (@ravi).
Resolves registry entries; it reads the registry, so it needs
P1-1 first.

## Phase 2 — Scoring

Every Phase 2 item needs P1-2.

**P2-1 · Exact-match scorer** — _todo_.

**~~P2-2 · Distributed runner~~** — _cut_.
Nobody needs it.
"""
    assert _read(text) == {
        "P1-1": ("done", []),
        "P1-2": ("in_progress", ["P1-1"]),
        "P2-1": ("planned", ["P1-2"]),
        "P2-2": ("dropped", ["P1-2"]),
    }


def test_a_bold_word_is_no_unit_without_an_id() -> None:
    text = "# Notes\n\n**Goal** — ship it.\n\n**Note** — done soon.\n\n**Risk** — blocked vendors.\n"
    tracker, _ = read_document(Document("R.md", text))
    assert tracker.sessions == []


def test_numbered_bold_leads_with_the_status_as_their_first_words() -> None:
    text = """# Website relaunch

**1. Content inventory.** Done (January). Exported all pages.

**2. Sitemap.** In progress. Built from the inventory; needs 1.

**3. Blog migration.** ~~Move all posts.~~ Dropped at the Jan 28 meeting.

**4. Hosting move.** ⚠️ Blocked. Waiting on the registrar login.
"""
    assert _read(text) == {
        "1": ("done", []),
        "2": ("in_progress", ["1"]),
        "3": ("dropped", []),
        "4": ("blocked", []),
    }


def test_prose_names_a_unit_by_its_short_title() -> None:
    text = """# Relaunch

**1. Theme build.** In progress. Templates for every page type.

**2. Accessibility pass.** Not started. Only once the theme build is finished.

**3. Go-live.** Not started. We flip DNS once the accessibility pass is done.
"""
    assert _read(text) == {"1": ("in_progress", []), "2": ("planned", ["1"]), "3": ("planned", ["2"])}


def test_a_plan_of_paragraphs_led_by_a_kind_word_and_its_number() -> None:
    """`**Episode 3 — Interviews.** Not recorded yet. Needs Episode 2 published.`: episode 3, after 2."""
    from syncbot.model import Status
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    tracker, _ = read_document(
        Document(
            "SEASON.md",
            "# Season 4\n\n**Episode 1 — Cold open.** Published.\n\n**Episode 2 — The archive.** In editing.\n\n"
            "**Episode 3 — Interviews.** Not started. Needs Episode 2 published.\n\n"
            "**Episode 4 — Finale.** Not started.\n",
        )
    )
    assert [(s.key, s.title, s.status, s.prerequisites) for s in tracker.sessions] == [
        ("1", "Cold open", Status.DONE, []),
        ("2", "The archive", Status.IN_PROGRESS, []),
        ("3", "Interviews", Status.PLANNED, ["2"]),
        ("4", "Finale", Status.PLANNED, []),
    ]
