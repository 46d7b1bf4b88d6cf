"""The built-in status vocabulary: the words (in the languages trackers are written in) and the emoji that
name a status.  Data only; :mod:`syncbot.readers.common` compiles it into the classifier, and a document's
own legend (``readers/legend.py``) or the user's ``status_words`` hint come before it."""

from __future__ import annotations

from syncbot.model import Status

EMOJI: list[tuple[str, Status]] = [
    ("✅", Status.DONE),
    ("✔", Status.DONE),
    ("✓", Status.DONE),
    ("☑", Status.DONE),
    ("🟢", Status.DONE),
    ("🟩", Status.DONE),
    ("💯", Status.DONE),
    ("🎉", Status.DONE),
    ("❌", Status.FAILED),
    ("🔴", Status.BLOCKED),
    ("🚫", Status.BLOCKED),
    ("⛔", Status.BLOCKED),
    ("🛑", Status.BLOCKED),
    ("🚧", Status.IN_PROGRESS),
    ("🏗", Status.IN_PROGRESS),
    ("🔨", Status.IN_PROGRESS),
    ("🟡", Status.IN_PROGRESS),
    ("🟠", Status.IN_PROGRESS),
    ("🟨", Status.IN_PROGRESS),
    ("🔵", Status.IN_PROGRESS),
    ("🏃", Status.IN_PROGRESS),
    ("⚙", Status.IN_PROGRESS),
    ("🟥", Status.BLOCKED),
    ("🔄", Status.IN_PROGRESS),
    ("✍", Status.IN_PROGRESS),  # being written (a thesis chapter, a paper, the docs)
    ("▶", Status.READY),
    ("⏳", Status.PLANNED),
    ("⌛", Status.PLANNED),
    ("⏸", Status.BLOCKED),
    ("⭕", Status.PLANNED),
    ("⬜", Status.PLANNED),
    ("⚪", Status.PLANNED),
    ("◻", Status.PLANNED),
    ("💤", Status.PLANNED),
    ("✗", Status.FAILED),
    ("✘", Status.FAILED),
    ("🔲", Status.PLANNED),
    ("☐", Status.PLANNED),
    ("📋", Status.PLANNED),
    ("🔜", Status.PLANNED),
    ("🗑", Status.DROPPED),
]

# Phrases first (longest match wins), then single words.  Order inside a status does not matter.  Each
# entry is one language's words, separated by `|`; words of scripts written without spaces (Chinese,
# Japanese) are matched anywhere, the others only as whole words.
VOCABULARY: dict[Status, tuple[str, ...]] = {
    Status.DONE: (
        "done|complete|completed|finished|shipped|merged|closed|resolved|implemented|delivered|passed|passing|"
        "fixed|verified|accepted|landed|validated|released|live|published",
        "erledigt|fertig|abgeschlossen|umgesetzt|geliefert|behoben|veröffentlicht",  # de
        "abgenommen|freigegeben|已验收",  # de zh: accepted, signed off
        "terminé|terminée|termine|fait|achevé|livré|résolu|validé|publié|corrigé|corrigée",  # fr
        "corregido|corregida|corrigido|corrigida|corretto|已修复|修复完成|修正済み|수정 완료",  # a finding fixed
        "hecho|hecha|completado|completada|terminado|terminada|finalizado|finalizada|resuelto|listo|publicado",
        "concluído|concluida|concluído|concluida|concluído|feito|feita|finalizado|entregue|pronto|resolvido",  # pt
        "已完成|完成|已上线|已发布|已合并|已实现|已解决|已交付|完了|完成済|対応済|実装済|済み|완료|해결",  # zh ja ko
        "completato|completata|fatto|fatta|concluso|conclusa|terminato|terminata|rilasciato|chiuso|risolto",  # it
        "klaar|afgerond|voltooid|gereed|opgeleverd|opgelost",  # nl
        "готово|выполнено|сделано|завершено|закрыто|zrobione|gotowe|ukończone|zakończone|wykonane",  # ru pl
        "hoàn thành|đã xong|xong|selesai|sudah selesai|tamamlandı|bitti|yapıldı",  # vi id tr
        "klar|klart|färdig|färdigt|avklarad|slutförd|levererad",  # sv
        "הושלם|בוצע|הסתיים|تم|مكتمل|منجز|اكتمل|पूर्ण|पूरा|हो गया|जा चुका|हो चुका|เสร็จแล้ว|เสร็จสิ้น|เสร็จ",  # he ar hi th
        "hotovo|dokončeno|splněno|виконано|зроблено|завершено|ολοκληρώθηκε|ολοκληρωμένο|انجام شد|تکمیل شد|"
        "valmis|tehty|kész|elkészült|সম্পন্ন|முடிந்தது|நிறைவு|imekamilika|imekamilishwa|tapos na|fet|completat|acabat",
        # cs uk el fa fi hu bn ta sw tl ca
        "cerrada|cerrado|fermée|fermé|geschlossen|fechada|fechado",  # an issue's state, closed (es fr de pt)
        "concluída|concluídas|concluídos|finalizada|entregue|completa|completo",  # pt, the feminine too
    ),
    Status.IN_PROGRESS: (
        "in progress|in-progress|in_progress|inprogress|wip|started|ongoing|active|working|underway|under way|"
        "current|doing|partial|partially|running|in review|review|code review|in code review|in qa|testing|"
        "in development|in dev|in flight|internal qa|playtest|playtesting|in playtest",
        "in arbeit|in bearbeitung|läuft|begonnen|angefangen|gestartet|in prüfung|teilweise",  # de
        "en cours|en progrès|en revue|partiel",  # fr
        "en progreso|en curso|en proceso|en marcha|en ejecución|haciendo|en desarrollo|en revisión|en revision|"
        "iniciado|parcial",  # es
        "em andamento|em progresso|em curso|em desenvolvimento|em revisão|em revisao|iniciado|fazendo",  # pt
        "in corso|in lavorazione|in sviluppo|in revisione|in verifica|in collaudo|avviato|avviata|parziale",  # it
        "bezig|in uitvoering|lopend|in behandeling|in ontwikkeling|commencé|commencée",  # nl fr
        "в работе|в процессе|выполняется|w toku|w trakcie|w realizacji|đang làm|đang thực hiện|đang tiến hành",
        "sedang dikerjakan|dikerjakan|dalam proses|lagi dikerjain|perlu dites|devam ediyor|sürüyor|on track|"
        "do poprawy|на проверке|на ревью",  # id tr pl ru
        "待验收|待驗收|验收中|驗收中|恢复进行|恢復進行|已开始|已開始|开始做|開始做",  # zh: accepting, resumed, begun
        "処理中|処理済み",  # ja: Backlog (Nulab)'s own states, in progress and resolved awaiting the check
        "进行中|進行中|开发中|開発中|处理中|部分完成|测试中|待验证|验证中|待测试|"
        "作業中|対応中|実装中|着手中|진행중|진행 중|작업중|작업 중|"
        "개발중|개발 중",  # zh ja ko
        "pågår|påbörjad|påbörjat|under arbete|yapılıyor|sürmekte|incelemede|İncelemede|inceleniyor|İnceleniyor|"
        "בבדיקת קוד|בבדיקה|בסקירה|בתהליך|בעבודה|قيد التنفيذ|جاري|جارٍ|جار|"
        "प्रगति में|जारी|बन रही है|चल रहा है|"
        "กำลังดำเนินการ|กำลังทำ",  # sv tr he ar hi th
        "rozpracováno|probíhá|v řešení|в роботі|виконується|триває|σε εξέλιξη|σε πρόοδο|در حال انجام|työn alla|"
        "käynnissä|kesken|folyamatban|চলছে|চলমান|நடைபெறுகிறது|inaendelea|ginagawa|en curs|en procés",
        "fixing|pr in progress|pr open",
        "in umsetzung|in test|im test|in abnahme|in klärung|en pruebas|en validación|em teste|em homologação|"
        "em validação|in qa|at risk",  # de es pt en: in test, in acceptance, at risk
        "联调中|待评审|待上线|確認中|レビュー中|テスト中|검토 중|테스트 중",  # zh ja ko: in review, testing
        "en recette|en test|en validation",  # fr: in acceptance testing
        "drafting|being written|in draft review|revising|in editing|in writing",
    ),
    Status.BLOCKED: (
        "blocked|on hold|on-hold|stuck|paused|waiting on|blocked on|"
        "waiting on client|waiting for client|waiting on the client|waiting on customer|waiting for customer|"
        "needs info|needs more info|need info|awaiting info|waiting for",
        "blockiert|pausiert|wartet auf|wartet",  # de
        "bloqué|bloquée|bloque|en pause",  # fr
        "bloqueado|bloqueada|en pausa|em pausa",  # es pt
        "bloccato|bloccata|sospeso|sospesa|geblokkeerd|wacht op iets|wacht op anderen|搁置",  # it nl zh
        "заблокировано|заблокирована|блокировано|приостановлено|zablokowane|wstrzymane|bị chặn|tạm dừng|"
        "terblokir|tertunda|tertahan|keblok|nunggu|menunggu|engellendi|engelli|bloke|beklemede",
        "阻塞|受阻|已阻塞|暂停|被阻塞|保留|卡住了|卡住|卡关|卡關|ブロック|ブロック中|待ち|차단|보류|막힘",  # zh ja ko
        "blockerad|pausad|beklemede|חסום|מוקפא|متوقف|محظور|अवरुद्ध|रुका हुआ|अटका हुआ|अटका|ติดขัด|ถูกบล็อก",  # sv tr he ar hi th
        "blokováno|заблоковано|призупинено|μπλοκαρισμένο|σε αναμονή|مسدود|estynyt|blokkolva|elakadt|আটকে|"
        "தடைபட்டது|imezuiliwa|imekwama|naka-block|bloquejat",
        "impedida|impedido|impedimento|bloqueada|bloqueado|travada|travado",  # pt es
        "gestoppt|detenido|detenida|en espera|em espera|aguardando|suspendido|suspendida|suspenso|suspensa|pausado|"
        "pausada",  # de es pt: stopped, on hold, waiting on something
        "waiting upstream|waiting on upstream|no fixed version",
    ),
    Status.READY: (
        "ready|next|up next|unblocked|available|ready to start|help wanted|up for grabs|good first issue|"
        "free to pick up|ready to pick up|ready for dev|ready for development|ready for work",
        "bereit|startklar|prêt|prête|prêt à démarrer|prêt à commencer",
        "klaar voor start|klaar om te starten|klaar om te beginnen|kan starten|kan beginnen",  # nl
        "pronto per iniziare|pronto a partire",
        "listo para empezar|lista para empezar|listo para comenzar|listos para empezar",  # es (`listo` alone: done)
        "se puede empezar|se puede comenzar",  # es: a legend's gloss, it can be started
        "本周待做|本周要做|可以开工|可开工|待开工|可以开始|可开始|可以启动",  # zh: to do this week, ready to start
        "可以领取|可领取|待领取|前置已满足|就绪|就緒|准备就绪|準備就緒",  # zh: can be claimed, prerequisites met, ready
        "hazır|başlanabilir|gotowe do startu|gotowe do realizacji|gotowe do wzięcia|do wzięcia|"
        "sẵn sàng bắt đầu|siap dikerjakan|"
        "готово к старту|можно начинать",  # tr pl vi id ru: ready to start
        "着手可|着手可能|開始可|開始可能|착수 가능|시작 가능",  # ja ko: may start
        "pronto para|pronto pra|pronto p/|pronta para|pronta p/|pronto pra começar|pronto para começar",
        "siap|sẵn sàng|готово к работе",
    ),
    Status.FAILED: (
        "failed|failing|error|broken|failure|partial failure|reverted|rolled back",
        "fehlgeschlagen|durchgefallen|"
        "échoué|échouée|échec|fallido|falló|falhou|fallito|fallita|mislukt|провалено|nieudane|thất bại|"
        "не получилось|откатили|"  # ru: did not work out, rolled back
        "gagal|başarısız|misslyckades|misslyckad|fel|失败|失敗|실패|差し戻し|打回|被打回|반려",
        "imeshindwa|ناموفق",  # sw fa: what a legend's `⚠️ Imeshindwa` or a `وضعیت:` line says
    ),
    Status.DROPPED: (
        "dropped|cancelled|canceled|won't do|wont do|won’t do|won't fix|wont fix|won’t fix|wontfix|abandoned|"
        "not applicable|dup|dupe|duplicate|dup of|duplicate of|"
        "skipped|deferred|postponed|obsolete|removed|superseded|n/a|replaced|cut|rejected|decided against|scrapped|"
        "acknowledged|reconnu|reconnue|risque accepté|aceptado el riesgo|risco aceito|risiko akzeptiert",  # audits
        "verworfen|abgebrochen|entfällt|gestrichen|abgesagt|verschoben",  # de
        "entfallen|zurückgestellt",  # de
        "abandonné|abandonnée|abandonnés|annulé|annulée|obsolète|remplacé|remplacée|reporté|reportée",  # fr
        "descartado|descartada|cancelado|cancelada|abandonado|reemplazado|substituído|substituido|pospuesto|adiado",
        "descartados|descartadas|cortado|cortada|cortados|cortadas|riscado|riscada|tachado|tachada|desistimos",  # es pt
        "annullato|annullata|scartato|scartata|rinviato|abbandonato|geannuleerd|vervallen|geschrapt",  # it nl
        "отменено|отменена|anulowane|porzucone|đã hủy|hủy|batal|dibatalkan|iptal|descoped|not planned",
        "已取消|取消|废弃|已废弃|放弃|已放弃|不做了|不做|延期|中止",
        "対応しない|取り消し|取消済|見送り|취소|중단|폐기|연기",  # zh ja ko
        "struken|stryks|utgår|avbruten|inställd|vazgeçildi|בוטל|ملغى|ألغي|रद्द|हटाया गया|ยกเลิก",  # sv tr he ar hi th
        "zrušeno|скасовано|ακυρώθηκε|لغو شد|karsittu|peruttu|hylätty|törölve|elvetve|বাতিল|ரத்து|imefutwa|"
        "imeghairiwa|kinansela|descartat|cancel·lat",
        "closed as not planned|not planned|no se hará|cerrada — no se hará|ne sera pas fait|não será feito",
        "not doing|won't be done|will not do",
        "will not be fixed|won't be fixed|not exploitable|false positive|risk accepted",
        "حذف شد",  # fa
    ),
    Status.PLANNED: (
        "planned|pending|todo|to do|to-do|not started|not yet started|not reached|not yet reached|waiting|queued|"
        "backlog|upcoming|future|"
        "open|new|tbd|proposed|draft|scheduled|planning|in planning|"
        "nobody is on it|no one is on it|nobody on it|no one on it|"
        # a date or release it moved to: still to be done, later (bare `deferred` is dropped)
        "deferred to|deferred until|postponed to|postponed until|pushed to|rescheduled|moved to later",
        "adiado para|adiada para|aplazado a|aplazado para|pospuesto a|pospuesto para|reporté à|reporté au|"
        "verschoben auf|verschoben nach|rinviato a|rinviata a",  # pt es fr de it: moved to a later release
        "offen|geplant|ausstehend|nicht begonnen|noch nicht begonnen|noch offen|vorgesehen",  # de
        "in planung|por iniciar|未启动|规划中",  # de es zh: being planned, to be started
        "à faire|a faire|prévu|prévue|planifié|planifiée|non commencé|pas commencé|en attente|à venir",  # fr
        "pas encore commencé|pas encore démarré|pas démarré|todavía no empezado|aún no iniciado|"
        "ainda não começado|ainda não iniciado|non ancora iniziato",  # fr es pt it: not yet started
        "pendiente|por hacer|planificado|planeado|no iniciado|sin empezar|sin iniciar|propuesto",  # es
        "pendente|a fazer|por fazer|planejado|planeado|não iniciado|nao iniciado|não começado|proposto",  # pt
        "da fare|pianificato|pianificata|in attesa|non iniziato|non iniziata|previsto|prevista|aperto",  # it
        "niet gestart|niet begonnen",  # nl
        "te doen|gepland|nog niet gestart|nog te doen|wacht|icebox|ideas|idea|ideen|idées|ideas",  # nl, lanes
        "запланировано|не начато|к выполнению|do zrobienia|zaplanowane|nierozpoczęte|nie rozpoczęte",  # ru pl
        "chưa bắt đầu|cần làm|kế hoạch|belum dimulai|direncanakan|rencana|nanti|yapılacak|planlandı|başlanmadı",
        "planerad|ej påbörjad|inte påbörjad|att göra|מתוכנן|לא התחיל|לביצוע|مخطط|لم يبدأ|"
        "योजनाबद्ध|लंबित|बाकी|शुरू नहीं|ยังไม่เริ่ม|"
        "รอดำเนินการ",  # sv he ar hi th
        "需求池|待做|未开始|未開始|待办|待辦|待开始|计划中|計劃中|待定|未完成|"
        "未着手|未対応|予定|未実施|대기|예정|미착수|시작 전|"
        "미완료|계획",  # zh ja ko
        "nezahájeno|plánováno|заплановано|не розпочато|σχεδιασμένο|εκκρεμεί|δεν ξεκίνησε|شروع نشده|suunniteltu|"
        "aloittamatta|tekemättä|tervezett|teendő|nincs elkezdve|শুরু হয়নি|தொடங்கவில்லை|haijaanza|imepangwa|"
        "hindi pa nasisimulan|gagawin|pendent|planificat",
        "abierta|abierto|ouverte|ouvert|aberta|aberto",  # an issue's state, open (es fr pt)
        "não iniciada|nao iniciada|não iniciadas|a iniciar|planejada|planejado",  # pt
    ),
}

# Words that say only that a unit is not closed (an issue's state): beside a unit already under way or
# blocked they confirm it, and a log saying `E2-S5 sigue abierto` does not set it back to planned
# the stages of open work finer than "open": what `still open` confirms, and an open issue's label may name
OPEN_STAGES = frozenset({Status.IN_PROGRESS, Status.BLOCKED, Status.READY})
STILL_OPEN = frozenset(
    {"open", "still open", "opened", "reopened", "abierta", "abierto", "ouverte", "ouvert", "aberta", "aberto"}
    | {"offen", "noch offen", "aperto", "aperta"}
)
