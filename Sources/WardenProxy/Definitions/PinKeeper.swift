public import Logging
import NIOCore
public import WardenPolicy
public import WardenStore
import Synchronization
public import WardenJSON

/// The process's view of the pin store: which listed definitions are trusted, with each change audited and
/// announced once.
///
/// The store is the authority. What this remembers only saves store calls: a definition found trusted stays
/// trusted for this process (a person's acceptance only ever turns held into trusted), and a held one is read
/// again from the store at most once per `recheckInterval`, so an acceptance made by `warden pins accept` in
/// another terminal takes effect within that time. Store calls are small SQLite transactions made on the caller's
/// thread, and only for definitions this process has not seen trusted: the first listing of each tool, and changes.
public final class PinKeeper: Sendable {
    /// How a session's tool stands with its pin.
    public enum Standing: Sendable, Hashable {
        case trusted
        /// Held for review: `changed` when a trusted definition exists, `new` when none was ever accepted.
        case held(PinVerdict)
        /// The store could not be read: judged by the policy's `fail:` mode.
        case unknown(String)
    }

    /// Names compared by their Unicode scalars: `"é"` and `"e\u{301}"` are two tools to the server, so two pins here.
    private struct Key: Hashable {
        var server: ScalarKey
        var tool: ScalarKey
        var fingerprint: String

        init(server: String, tool: String, fingerprint: String) {
            self.server = ScalarKey(server)
            self.tool = ScalarKey(tool)
            self.fingerprint = fingerprint
        }
    }

    private struct State {
        var trusted: Set<Key> = []
        var heldCheckedAt: [Key: UInt64] = [:]
        var announced: Set<Key> = []
    }

    /// How long a held verdict is believed before the store is asked again, in nanoseconds.
    let recheckInterval: UInt64

    let store: any PinStore
    let audit: (any AuditStore)?
    let onChange: @Sendable (PinRecord) -> Void
    let logger: Logger
    private let state = Mutex(State())

    /// `onChange` hears each change once per process (the webhook's `pin.changed`).
    public init(
        store: any PinStore,
        audit: (any AuditStore)?,
        logger: Logger,
        recheckInterval: Duration = .seconds(1),
        onChange: @escaping @Sendable (PinRecord) -> Void = { _ in }
    ) {
        self.recheckInterval = UInt64(max(recheckInterval.components.seconds, 0)) * 1_000_000_000
            + UInt64(max(recheckInterval.components.attoseconds, 0) / 1_000_000_000)
        self.store = store
        self.audit = audit
        self.logger = logger
        self.onChange = onChange
    }

    /// Compares one listing page of `server` with its pins; the standing of each tool, by its name's scalars.
    public func observe(
        server: String,
        tools: [ListedTool],
        holdNew: Bool,
        session: SessionIdentity,
        at time: Timestamp
    ) -> [ScalarKey: Standing] {
        var standings: [ScalarKey: Standing] = [:]
        var unseen: [PinObservation] = []
        state.withLock { state in
            for tool in tools {
                if state.trusted.contains(Key(server: server, tool: tool.name, fingerprint: tool.fingerprint)) {
                    standings[ScalarKey(tool.name)] = .trusted
                } else {
                    unseen.append(PinObservation(tool: tool.name, fingerprint: tool.fingerprint, definition: tool.canonical))
                }
            }
        }
        guard !unseen.isEmpty else { return standings }
        let verdicts: [PinVerdict]
        do {
            verdicts = try store.observe(server: server, tools: unseen, holdNew: holdNew, at: time)
        } catch {
            logger.error("pin store unavailable", metadata: ["error": "\(error)", "server.name": "\(server)"])
            for observation in unseen { standings[ScalarKey(observation.tool)] = .unknown("\(error)") }
            return standings
        }
        let now = NIODeadline.now().uptimeNanoseconds
        for (index, observation) in unseen.enumerated() {
            let key = Key(server: server, tool: observation.tool, fingerprint: observation.fingerprint)
            let verdict = index < verdicts.count ? verdicts[index] : .changed
            if verdict == .trusted {
                state.withLock { _ = $0.trusted.insert(key) }
                standings[ScalarKey(observation.tool)] = .trusted
                continue
            }
            standings[ScalarKey(observation.tool)] = .held(verdict)
            let isFirst = state.withLock { state in
                state.heldCheckedAt[key] = now
                return state.announced.insert(key).inserted
            }
            if isFirst { report(server: server, tool: observation.tool, fingerprint: observation.fingerprint, session: session, at: time) }
        }
        return standings
    }

    /// Makes the next check of every held tool of `server` read the store at once: called when another process
    /// announces an acceptance (PostgreSQL's NOTIFY), so it applies here without waiting for `recheckInterval`.
    public func acceptanceAnnounced(server: String) {
        state.withLock { state in
            for key in state.heldCheckedAt.keys where key.server == ScalarKey(server) { state.heldCheckedAt[key] = nil }
        }
    }

    /// The standing of a held tool now: the store is read again (at most once per `recheckInterval`), so an
    /// acceptance made elsewhere lets the tool through without a new listing.
    public func recheck(server: String, tool: String, fingerprint: String, held verdict: PinVerdict) -> Standing {
        let key = Key(server: server, tool: tool, fingerprint: fingerprint)
        let now = NIODeadline.now().uptimeNanoseconds
        let cached: Standing? = state.withLock { state in
            if state.trusted.contains(key) { return .trusted }
            if let checked = state.heldCheckedAt[key], now &- checked < recheckInterval { return .held(verdict) }
            state.heldCheckedAt[key] = now
            return nil
        }
        if let cached { return cached }
        do {
            guard let record = try store.get(server: server, tool: tool), record.trustedFingerprint == fingerprint else {
                return .held(verdict)
            }
            state.withLock { state in
                state.trusted.insert(key)
                state.heldCheckedAt[key] = nil
            }
            return .trusted
        } catch {
            return .unknown("\(error)")
        }
    }

    /// Writes the `pin_changed` record, logs and announces a change this process sees first.
    private func report(server: String, tool: String, fingerprint: String, session: SessionIdentity, at time: Timestamp) {
        let record = try? store.get(server: server, tool: tool)
        let old = record?.trustedFingerprint
        logger.warning(
            "tool definition differs from its pin; held for review",
            metadata: [
                "server.name": "\(server)", "tool.name": "\(tool)", "pin.trusted": "\(PinAudit.short(old))",
                "pin.offered": "\(PinAudit.short(fingerprint))",
            ]
        )
        if let audit {
            let entry = PinAudit.changeRecord(
                server: server, tool: tool, old: old, new: fingerprint, sessionID: session.sessionID, agentID: session.agentID, at: time
            )
            do {
                _ = try audit.append(entry)
            } catch {
                logger.error("audit record not written", metadata: ["error": "\(error)", "tool.name": "\(tool)"])
            }
        }
        if let record { onChange(record) }
    }
}
