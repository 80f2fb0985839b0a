public import WardenPolicy

/// Where tool definitions are pinned: shared by every proxy on the store and by `warden pins` in another terminal.
///
/// Synchronous like the approval store: each operation is one small transaction, and callers run it off the event loop.
public protocol PinStore: Sendable {
    /// Compares what `server` lists now with its pins, atomically, and says for each tool whether it may be used.
    ///
    /// A tool never seen is inserted (trusted, or held without a trusted definition when `holdNew`); the trusted
    /// definition clears any pending one (the server went back); another definition is kept pending beside the
    /// trusted one. Tools not listed keep their records, so one that comes back changed is still a change.
    ///
    /// The verdicts are in the order of `tools`, one each: not keyed by name, since two names Swift's `String` calls
    /// equal (`"é"` and `"e\u{301}"`) are two tools to the server and each needs its own verdict.
    func observe(server: String, tools: [PinObservation], holdNew: Bool, at time: Timestamp) throws(StoreError) -> [PinVerdict]
    /// Every pin, or one server's, ordered by server then tool.
    func list(server: String?) throws(StoreError) -> [PinRecord]
    func get(server: String, tool: String) throws(StoreError) -> PinRecord?
    /// Makes the pending definition the trusted one; nil when there is no such pin or nothing is pending.
    func accept(server: String, tool: String, by: String, at time: Timestamp) throws(StoreError) -> PinRecord?
    /// Accepts every pending definition of `server`; returns the records accepted.
    func acceptAll(server: String, by: String, at time: Timestamp) throws(StoreError) -> [PinRecord]
}

extension PinRecord {
    /// The record after `server` listed `observation` (nil for a record that is not there yet), and the verdict.
    ///
    /// The one place the pinning rules live, so the memory and SQLite stores cannot disagree.
    static func observing(
        _ observation: PinObservation,
        server: String,
        existing: PinRecord?,
        holdNew: Bool,
        at time: Timestamp
    ) -> (record: PinRecord, verdict: PinVerdict) {
        guard var record = existing else {
            var record = PinRecord(server: server, tool: observation.tool, firstSeen: time)
            if holdNew {
                record.pendingFingerprint = observation.fingerprint
                record.pendingDefinition = observation.definition
                record.changedAt = time
                return (record, .new)
            }
            record.trustedFingerprint = observation.fingerprint
            record.trustedDefinition = observation.definition
            return (record, .trusted)
        }
        if record.trustedFingerprint == observation.fingerprint {
            record.pendingFingerprint = nil
            record.pendingDefinition = nil
            return (record, .trusted)
        }
        if record.pendingFingerprint != observation.fingerprint {
            record.pendingFingerprint = observation.fingerprint
            record.pendingDefinition = observation.definition
            record.changedAt = time
        }
        return (record, record.trustedFingerprint == nil ? .new : .changed)
    }

    /// The record once a person accepted its pending definition; nil when nothing is pending.
    func accepted(by person: String, at time: Timestamp) -> PinRecord? {
        guard let fingerprint = pendingFingerprint else { return nil }
        var record = self
        record.trustedFingerprint = fingerprint
        record.trustedDefinition = pendingDefinition
        record.pendingFingerprint = nil
        record.pendingDefinition = nil
        record.acceptedBy = person
        record.acceptedAt = time
        return record
    }
}
