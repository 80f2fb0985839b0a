/// The words the classifier knows, each with what it says about a tool. Lists are lowercase dictionary forms.
enum ToolVocabulary {
    /// Verbs that say what a call does, by the category they point to. A name's first verb decides.
    static let verbs: [String: ToolCategory] = {
        var verbs: [String: ToolCategory] = [:]
        for word in destructiveVerbs { verbs[word] = .destructive }
        for word in financialVerbs { verbs[word] = .financial }
        for word in executeVerbs { verbs[word] = .execute }
        for word in writeVerbs { verbs[word] = .write }
        for word in readVerbs { verbs[word] = .read }
        for word in otherVerbs { verbs[word] = .other }
        return verbs
    }()

    static let destructiveVerbs: Set<String> = [
        "delete", "del", "drop", "remove", "rm", "destroy", "purge", "truncate", "wipe", "erase", "terminate",
        "revoke", "kill", "cancel", "ban", "kick", "expire", "clear", "pop", "trim", "arrpop", "arrtrim", "lpop",
        "rpop", "spop", "zrem", "srem", "hdel", "lrem", "ltrim", "zpopmin", "zpopmax", "uninstall", "deprovision",
        "decommission", "flush", "evict", "discard", "void", "unpublish", "deregister", "unregister", "nuke", "shred",
        "obliterate", "expunge", "rmdir", "deactivate", "eliminar", "borrar", "excluir", "apagar", "supprimer",
        "effacer", "loeschen", "löschen", "entfernen", "cancellare", "rimuovere",
    ]

    static let financialVerbs: Set<String> = [
        "charge", "pay", "refund", "payout", "purchase", "buy", "withdraw", "disburse", "remit", "bill", "tip",
        "pagar", "payer", "bezahlen", "zahlen", "cobrar",
    ]

    static let executeVerbs: Set<String> = [
        "exec", "execute", "run", "test", "call", "eval", "evaluate", "invoke", "trigger", "launch", "spawn",
        "dispatch", "start", "begin", "kickoff", "rerun", "retry", "replay", "compile", "interpret", "deploy",
        "build", "provision", "ejecutar", "executar", "exécuter", "executer", "ausführen", "ausfuehren", "eseguire",
    ]

    static let writeVerbs: Set<String> = [
        "create", "write", "generate", "unapprove", "unroute", "scroll", "manage", "accept", "finalize", "complete",
        "reprioritize", "prioritize", "unresolve", "handle", "resize", "update", "put", "set", "insert", "upload",
        "send", "add", "edit", "modify", "patch", "post", "push", "commit", "merge", "publish", "rename", "move",
        "mv", "copy", "cp", "tag", "untag", "assign", "unassign", "label", "comment", "reply", "react", "star",
        "unstar", "fork", "upsert", "save", "store", "register", "enable", "disable", "attach", "detach", "stop",
        "abort", "halt", "pause", "suspend", "resume", "restart", "reboot", "scale", "restore", "approve", "reject",
        "lock", "unlock", "schedule", "invite", "share", "grant", "subscribe", "unsubscribe", "mark", "fill", "type",
        "click", "press", "select", "drag", "hover", "uncheck", "apply", "annotate", "append", "replace", "change",
        "configure", "make", "new", "init", "initialize", "import", "sync", "link", "unlink", "associate",
        "disassociate", "archive", "unarchive", "close", "reopen", "transition", "resolve", "dismiss", "acknowledge",
        "ack", "submit", "notify", "forward", "transfer", "install", "duplicate", "clone", "rollback", "revert",
        "reset", "rotate", "renew", "watch", "unwatch", "follow", "unfollow", "pin", "unpin", "mute", "unmute",
        "block", "unblock", "unban", "join", "leave", "record", "checkout", "cherry", "rebase", "stage", "unstage",
        "mkdir", "touch", "tap", "swipe", "upgrade", "downgrade", "migrate", "promote", "demote", "crear", "criar",
        "créer", "creer", "erstellen", "anlegen", "aktualisieren", "actualizar", "atualizar", "enviar", "envoyer",
        "senden", "guardar", "salvar", "speichern", "modifier", "ändern", "aendern", "creare", "aggiornare",
        "inviare",
    ]

    static let readVerbs: Set<String> = [
        "get", "list", "read", "ask", "map", "research", "export", "wait", "open", "suggest", "recommend", "simulate",
        "observe", "geocode", "search", "describe", "fetch", "query", "show", "find", "view", "lookup", "look",
        "count", "inspect", "browse", "retrieve", "download", "explain", "analyze", "analyse", "summarize", "tail",
        "diff", "snapshot", "screenshot", "navigate", "goto", "go", "scrape", "crawl", "extract", "monitor",
        "validate", "verify", "whoami", "check", "estimate", "preview", "compare", "cat", "ls", "head", "grep",
        "discover", "explore", "poll", "visit", "load", "scan", "audit", "review", "trace", "detect", "identify",
        "recognize", "translate", "obtener", "listar", "buscar", "leer", "consultar", "ler", "lister", "chercher",
        "lire", "obtenir", "abrufen", "suchen", "lesen", "anzeigen", "auflisten", "leggere", "cercare", "elencare",
        "ottenere",
    ]

    static let otherVerbs: Set<String> = [
        "think", "calculate", "compute", "convert", "format", "parse", "echo", "sleep", "sum", "multiply", "divide",
        "subtract", "ping", "encode", "decode", "hash", "random", "roll", "plan", "reflect", "hello", "highlight",
        "hide", "connect", "disconnect",
    ]

    /// Nouns that mean money: a state-changing call on one is financial; a read of one touches payment data.
    static let moneyNouns: Set<String> = [
        "payment", "invoice", "refund", "payout", "charge", "price", "pricing", "subscription", "checkout", "order",
        "fund", "money", "balance", "transaction", "transfer", "coupon", "credit", "debit", "wallet", "purchase",
        "billing", "bill", "dispute", "quote", "paymentlink", "paymentintent", "settlement", "withdrawal", "deposit",
        "loan", "wire", "ach", "iban", "crypto", "factura", "pago", "cobro", "rechnung", "zahlung", "facture",
        "paiement", "fattura", "pagamento",
    ]

    /// Nouns that, after `start` or `run`, name a job whose effects depend on its parameters (rather than a
    /// resource being switched on).
    static let resourceNouns: Set<String> = [
        "instance", "server", "db", "database", "cluster", "service", "container", "vm", "machine", "node", "browser",
        "session", "recording", "trace", "tracing", "timer", "notebook", "app", "application", "environment",
    ]

    /// Things that can be removed from something else while they themselves survive.
    static let relationNouns: Set<String> = [
        "tag", "label", "reaction", "star", "assignee", "reviewer", "watcher", "subscriber", "favorite", "favourite",
        "bookmark", "emoji", "relation", "link", "association", "participant", "sub", "role", "flag", "dependency",
    ]

    /// Members of something: removing one from a group, team or role is a change of the group, not a loss.
    static let memberNouns: Set<String> = [
        "user", "member", "group", "role", "policy", "permission", "collaborator", "team", "chat", "contact",
        "channel",
    ]

    /// Query languages and stores that can only read: running a query in one is a read (`execute_promql_query`).
    static let readOnlyQueryNouns: Set<String> = [
        "promql", "logql", "loki", "prometheus", "insights", "log", "metric", "trace", "elasticsearch", "quickwit",
        "panel", "jql", "kql", "traceql", "search", "opensearch", "range",
    ]

    /// After `stop`, `abort` or `halt`, things whose stopping cancels work rather than pausing a resource.
    static let workNouns: Set<String> = [
        "job", "task", "execution", "run", "build", "deployment", "migration", "action", "update", "workflow",
        "pipeline", "operation", "process", "import", "export", "query", "replication", "training",
    ]

    /// Nouns whose loss is the loss of a whole system: deleting one is critical.
    static let wholeSystemNouns: Set<String> = [
        "database", "db", "bucket", "cluster", "repository", "repo", "account", "datastore", "keyspace", "namespace",
        "stack", "organization", "org", "workspace", "domain", "zone", "vpc", "environment", "index", "tenant",
    ]

    /// Words of a read that mean the data read is sensitive: credentials, personal, health or payment data.
    static let sensitiveNouns: Set<String> = [
        "secret", "credential", "password", "token", "key", "apikey", "certificate", "cert", "private", "patient",
        "health", "medical", "phi", "pii", "ssn", "personal", "salary", "payroll", "cookie", "session", "payment",
        "card", "billing", "invoice", "balance", "transaction", "email", "mail", "inbox", "message", "dm", "env",
        "iam", "policy", "permission", "role", "user", "customer", "dicom", "study", "clinical", "diagnosis",
    ]

    /// Words of a change that touch who may do what: an access change is high severity.
    static let accessNouns: Set<String> = [
        "iam", "permission", "role", "policy", "acl", "access", "grant", "share", "sharing", "collaborator", "member",
        "secret", "credential", "password", "token", "key", "apikey", "certificate", "visibility", "public",
        "firewall", "security", "securitygroup", "rule", "webhook", "oauth", "sso", "mfa", "user",
    ]

    /// Nouns that, with no verb, mean code runs: a tool called `sql` or `shell`.
    static let codeNouns: Set<String> = [
        "sql", "shell", "bash", "terminal", "command", "cmd", "script", "code", "python", "javascript", "js", "repl",
        "sh", "powershell", "exec", "cypher", "eval",
    ]
}
