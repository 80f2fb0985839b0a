import WardenStore

/// The people's view of audit records: one line each, in columns, widest text last.
enum AuditTable {
    static let columns: [(title: String, width: Int)] = [
        ("TIME (UTC)", 20), ("AGENT", 12), ("TOOL", 24), ("DECISION", 18), ("RULE", 20), ("OUTCOME", 11), ("LATENCY", 18),
    ]

    static var header: String {
        columns.map { pad($0.title, $0.width) }.joined() + "REASON"
    }

    static func row(_ record: AuditRecord) -> String {
        let cells = [
            record.time.utcText, record.agentID ?? "-", record.tool, record.decision.description, record.rule ?? "-",
            record.outcome?.description ?? (record.decision.isForwarded ? "pending" : "-"), latency(record),
        ]
        return zip(cells, columns).map { pad($0, $1.width) }.joined() + (record.reason ?? "")
    }

    /// The decision's latency, then the upstream's when the call was forwarded: `42µs + 12.3ms`.
    static func latency(_ record: AuditRecord) -> String {
        let parts = [record.decisionMicroseconds, record.upstreamMicroseconds].compactMap { $0 }.map { format(microseconds: $0) }
        return parts.isEmpty ? "-" : parts.joined(separator: " + ")
    }

    static func format(microseconds: Int) -> String {
        if microseconds < 1000 { return "\(microseconds)µs" }
        if microseconds < 1_000_000 { return decimal(microseconds, per: 1000) + "ms" }
        return decimal(microseconds, per: 1_000_000) + "s"
    }

    /// `value / unit` with one decimal, without Foundation's formatters.
    private static func decimal(_ value: Int, per unit: Int) -> String {
        let tenths = (value * 10 + unit / 2) / unit
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Fits text to a column: padded, or cut with `…` so the next column still lines up.
    static func pad(_ text: String, _ width: Int) -> String {
        if text.count < width { return text + String(repeating: " ", count: width - text.count) }
        return String(text.prefix(width - 2)) + "… "
    }
}
