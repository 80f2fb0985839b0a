public import WardenPolicy

/// The audit records of pinning: each definition change Warden caught, and each acceptance with who made it.
public enum PinAudit {
    /// The first 12 hex digits of a fingerprint, as records and listings show it; `none` for no fingerprint.
    public static func short(_ fingerprint: String?) -> String {
        fingerprint.map { String($0.prefix(12)) } ?? "none"
    }

    /// The record of `server` offering a definition of `tool` other than the trusted one (`old` nil: a new tool held).
    public static func changeRecord(
        server: String,
        tool: String,
        old: String?,
        new: String,
        sessionID: String,
        agentID: String? = nil,
        at time: Timestamp
    ) -> AuditRecord {
        let what = old == nil ? "new tool held for review" : "definition changed"
        return AuditRecord(
            time: time,
            agentID: agentID,
            sessionID: sessionID,
            server: server,
            tool: tool,
            decision: .pinChanged,
            rule: "pins",
            reason: "\(server)/\(tool): \(what) \(short(old))→\(short(new)); held until accepted (warden pins diff \(server) \(tool))"
        )
    }

    /// The record of a person accepting the definition `new` of `tool` in place of `old` (nil for a new tool).
    public static func acceptRecord(
        server: String,
        tool: String,
        old: String?,
        new: String?,
        by person: String,
        via channel: String,
        at time: Timestamp
    ) -> AuditRecord {
        AuditRecord(
            time: time,
            sessionID: channel,
            server: server,
            tool: tool,
            decision: .pinAccepted,
            rule: "pins",
            reason: "\(server)/\(tool): definition \(short(old))→\(short(new)) accepted by \(person)"
        )
    }

    /// Accepts the pending definition of `tool` and records who did; nil (and no record) when nothing was pending.
    ///
    /// What the CLI and the admin API call: the trusted fingerprint is read first so the record names both sides.
    public static func accept(
        server: String,
        tool: String,
        by person: String,
        via channel: String,
        pins: any PinStore,
        audit: any AuditStore,
        at time: Timestamp
    ) throws(StoreError) -> PinRecord? {
        let before = try pins.get(server: server, tool: tool)
        guard let after = try pins.accept(server: server, tool: tool, by: person, at: time) else { return nil }
        let old = before?.pendingFingerprint == after.trustedFingerprint ? before?.trustedFingerprint : nil
        _ = try audit.append(acceptRecord(server: server, tool: tool, old: old, new: after.trustedFingerprint, by: person, via: channel, at: time))
        return after
    }

    /// Accepts every pending definition of `server`, one audit record each.
    public static func acceptAll(
        server: String,
        by person: String,
        via channel: String,
        pins: any PinStore,
        audit: any AuditStore,
        at time: Timestamp
    ) throws(StoreError) -> [PinRecord] {
        let before = Dictionary(try pins.list(server: server).map { ($0.tool, $0) }, uniquingKeysWith: { first, _ in first })
        let accepted = try pins.acceptAll(server: server, by: person, at: time)
        for after in accepted {
            let old = before[after.tool].flatMap { $0.pendingFingerprint == after.trustedFingerprint ? $0.trustedFingerprint : nil }
            _ = try audit.append(
                acceptRecord(server: server, tool: after.tool, old: old, new: after.trustedFingerprint, by: person, via: channel, at: time)
            )
        }
        return accepted
    }
}
