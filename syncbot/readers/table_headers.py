"""Header words that hint at a table column's role, in the languages trackers are written in (lower-case header
text); the column's cells decide (:mod:`syncbot.readers.table_columns`)."""

from __future__ import annotations

from syncbot.readers.lazy_re import lazy_re

STATUS_H = lazy_re(
    r"\b(status|state|stand|zustand|statut|état|etat|estado|situação|situacao|situación|progress|fortschritt|"
    r"avancement|progreso|progresso|stato|avanzamento|voortgang|done\??|durum|ilerleme|postęp|tiến\s+độ|"
    r"trạng\s+thái|kemajuan|progres|статус|состояние|прогресс)\b|状态|狀態|状況|状態|ステータス|进度|進度|進捗|상태|진행|✓|✅"
)


WEAK_STATUS_H = lazy_re(r"\b(done|progress|fortschritt|avancement|progreso|progresso|ilerleme|postęp|прогресс)\b")


PREREQ_H = lazy_re(
    r"\b(prereq\w*|pre-?requisites?|depends(\s+on)?|dependenc(y|ies)|blocked\s+by|requires|needs|after|"
    r"predecessors?|deps|abhängig\w*|voraussetzung\w*|dépend\w*|prérequis|dependencias?|dependências?|depende\w*|"
    r"prerrequisitos?|pr[ée]-?requisitos?|requisitos\s+previos|prerequisiti|dipendenz\w*|dipende\s+da|"
    r"afhankelijk\w*|vereist|bloqueado\s+por|bloqué\s+par|phụ\s+thuộc|bağımlılık\w*|bağlı|zależno\w*|zależy\s+od|"
    r"зависимост\w*|зависит\s+от|ketergantungan|tergantung|beroenden?|förutsättning\w*|předchůdc\w*|závislost\w*|"
    r"залежн\w*|передумов\w*|після|προαπαιτούμεν\w*|εξαρτήσεις|edellyty\w*|riippuvuu\w*|függőség\w*|előfeltétel\w*|"
    r"depende\s+sa|kailangan|inategemea|utegemezi|préalables?|prérequis|afhængig\w*|avhengig\w*|zależności|"
    r"blockiert\s+durch|wartet\s+auf|vorgänger\w*|bloccato\s+da|"
    r"zablokowane\s+przez|sau\s+khi|prasyarat|butuh|membutuhkan|wymaga|gereksinim\w*|önkoşul\w*|требует|нужно|richiede|necessita)\b|وابستگی|پیش‌نیاز|پیش\s*نیاز|依赖|依賴|前置|前提|依存|先行|선행|의존"
)


INVERSE_H = lazy_re(
    r"^(blocks|unblocks|enables|blocking|required\s+by|needed\s+by|prerequisite\s+for|bloquea|desbloquea|"
    r"bloqueia|blockiert|débloque|bloque|blokuje|blokkeert|blocca|engeller|voraussetzung\s+für|préalable\s+à)$"
    r"|^(后续|後続|후속)"
)


NOT_PREREQ_H = lazy_re(r"\b(met|satisf\w*|status|resolved|parent|epic|related|see|links?)\b")


DURATION_H = lazy_re(r"\b(duration|estimate[sd]?|effort|time|hours|days|est|dauer|aufwand|durée|duración|duração)\b")


QUANTITY_H = lazy_re(
    r"\b(points?|pts|sp|size|estimate[sd]?|est|effort|hours?|days?|priority|prio|weight|count|version|ver|"
    r"date|datum|fecha|data|release\s+date)\b|日期|日付|날짜|版本|优先级"
)


PHASE_H = lazy_re(
    r"^(phase|stage|milestone|wave|epic|sprint|release|fase|etapa|étape|meilenstein|hito|marco|iteration|"
    r"workstream|work\s+stream|stream|track|lot|arbeitspaket|chantier|frente|"
    r"阶段|階段|段階|フェーズ|단계|里程碑|マイルストーン|마일스톤)$"
)


OUTPUT_H = lazy_re(r"\b(output|outputs|deliverables?|outcomes?|artifacts?|result)\b")


OWNER_H = lazy_re(
    r"\b(owner|owners|assignee|assigned|who|lead|responsible|dri|author|verantwortlich\w*|zuständig|"
    r"responsable|responsável|encargado|referente|responsabile|assegnatario|eigenaar|verantwoordelijke)\b|负责人|負責人|担当|담당"
)


TITLE_WORDS = (
    "title", "name", "packet", "task", "description", "phase", "step", "session", "summary", "goal",
    "feature", "component", "objective", "focus", "scope", "work", "topic", "subject", "item", "milestone",
    "deliverable", "story", "ticket", "issue", "requirement",
    "aufgabe", "beschreibung", "titel", "funktion", "thema", "arbeitspaket",
    "tâche", "tache", "titre", "fonctionnalité", "libellé", "objet",
    "tarea", "descripción", "título", "funcionalidad", "característica", "nombre", "tarefa", "descrição",
    "funcionalidade", "recurso", "nome", "requisito", "attività", "descrizione", "titolo", "funzionalità",
    "compito", "taak", "omschrijving", "onderdeel",
    "任务", "任務", "名称", "标题", "描述", "内容", "功能", "事项", "工作", "タスク", "件名", "項目", "機能",
    "작업", "기능", "항목", "내용", "제목", "과제",
)  # fmt: skip


UNIT_WORD = (
    r"sessions?|steps?|phases?|packets?|work\s+packets?|stages?|tasks?|milestones?|parts?|sprints?|waves?|"
    r"iterations?|epics?|stor(?:y|ies)|fase|etapa|paso|passo|tarea|tarefa|sesión|sessão|schritt|aufgabe|"
    r"sitzung|étape|tâche|séance|jalon|hito|marco|meilenstein"
)


KEY_H = lazy_re(
    rf"^(?:{UNIT_WORD}|id|#|key|no\.?|nr\.?|n°|nº|núm\.?|número|numéro|nummer|number|ref|code|kode|kod|código|"
    r"codice|код|mã|номер|numer|"
    r"(?:task|item|ticket|issue|story)\s+(?:id|#|no\.?)|ticket|jira|编号|編號|序号|番号|번호|代號|代号|代码|代碼|阶段|步骤|任务)$"
)


# the table is about something other than work: risks, decisions, findings, metrics, a changelog
NOT_UNITS_H = lazy_re(
    r"^(risks?|risiken|risiko|riesgos?|riscos?|risques?|mitigation|likelihood|probability|rationale|"
    r"decisions?|entscheidung(en)?|decisión|decisiones|decisão|décision|metrics?|metriken|métricas?|kpis?|"
    r"findings?|befund|hallazgos?|glossary|term|version|date|datum|fecha|velocity|benchmarks?|changelog|"
    r"change\s+log|history|historique|historial|histórico|verlauf|minutes|minutas|meeting\s+notes|"
    r"claims?|hypothes[ie]s|hipótesis|hipóteses|hypothèses|assumptions?|annahmen)$|"
    r"风险|風險|リスク|위험|决策|決定|指标|指標|变更记录|更新履歴|변경\s*이력"
)


# (a key's letters may be Greek or Cyrillic too: `Э1-2`, `Φ2.1`)
KEY = (
    r"(?:[A-Za-zΑ-Ωα-ωА-ЯЁа-яё]{1,8}[-_.]?)?\d+(?:[.\-_][A-Za-z]{0,3}\d+[a-z]?)*(?:\.[A-Za-z])?[a-z]?"
    r"|[A-Za-zΑ-Ωα-ωА-ЯЁа-яё]{1,4}\d+(?:-[A-Za-z]{1,4}\d+)*"
    r"|[A-Za-z]{1,4}\d+/\d+[a-z]?"  # `K3/4`: lot 3, work package 4
    r"|[A-Z]{2,4}-[A-Z]"  # `WS-A`: workstream A
    r"|[A-Za-z]{1,4}\d{1,3}[A-Za-z]{1,4}-\d+[a-z]?"  # `A11Y-1`, `I18N-2`, `K8S-3`: a numeronym's epic
)
