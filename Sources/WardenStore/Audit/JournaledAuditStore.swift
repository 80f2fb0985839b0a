import Foundation
import WardenJSON
public import WardenPolicy

#if canImport(Glibc)
    import Glibc
#endif

/// The SQLite audit trail with a journal in front: a decision is one `write` to an append-only file before the call
/// goes on, and a thread of its own moves what the journal holds into SQLite, many records to a transaction.
///
/// **Durability.** When ``append(_:)`` returns, the record is in the operating system's hands, just as a SQLite
/// commit in WAL mode with `synchronous = NORMAL` is: a proxy killed the moment after loses nothing. A journal left
/// by a process that died is moved into SQLite by the next store opened on the same file (`warden run`,
/// `warden serve`, `warden audit`, `warden status`); how far each journal was moved is committed with the records,
/// so nothing is moved twice. A store that cannot move them (a full disk, a locked file) says so and opens anyway,
/// so the trail can still be read; the journals wait for the next store that can.
///
/// **Files.** Each process writes its own journal, `<pid>-<random>.jsonl` in the directory next to the database,
/// and holds an exclusive `flock` on it while it lives; a journal nobody holds belongs to a process that is gone.
/// A journal is created under a hidden name and renamed once locked, so no other process can take it for an orphan
/// in between. Once everything in a journal is in SQLite and it has grown past ``rotateBytes``, a new one replaces
/// it and it is deleted; the default size is small (256 KiB) because the journal and the database share a disk,
/// which may be small.
///
/// **A full disk.** A decision that cannot be written to the journal is an error (the proxy refuses the call). An
/// outcome that cannot be written waits in memory, at most ``maxUnwrittenOutcomes`` of them, and is written as soon
/// as the journal takes writes again (retried a few times a second): the call was answered, so its outcome must
/// reach the trail. Only a process that dies while the disk is still full loses them.
///
/// **Reading.** ``query(_:)``, ``summary(since:)`` and ``prune(before:)`` first wait (briefly) for this process's
/// journal to be moved, so a reader in the same process sees every record it wrote. Another process sees a record
/// as soon as the mover has committed it, normally well under a millisecond after it was written.
public final class JournaledAuditStore: AuditStore, @unchecked Sendable {
    // @unchecked: every `var` below is read and written with `condition` locked, except `rows`, which only the
    // mover thread touches.
    public let store: any AuditJournalDestination
    /// Where the journals are.
    public let directory: String
    /// A journal is replaced once it is fully moved and at least this big.
    let rotateBytes: Int
    /// Told when records stop reaching the database and when they reach it again; standard error by default.
    let report: @Sendable (String) -> Void
    /// How many outcome lines may wait in memory for a journal that cannot be written.
    public static let maxUnwrittenOutcomes = 100_000

    private let condition = NSCondition()
    private var descriptor: Int32 = -1
    private var name = ""
    /// Bytes written to, and moved from, the current journal.
    private var written = 0
    private var moved = 0
    /// Counts journals replaced, so a reader waiting for one journal to be moved stops when it is gone.
    private var generation = 0
    private var nextHandle: UInt64 = 1
    /// The session and request of each forwarded call still waiting for its outcome, written with the outcome so
    /// a recovery after a crash can find the record without knowing its row id.
    private var awaiting: [UInt64: (session: String, request: String?)] = [:]
    private var moverRunning = false
    private var stopping = false
    private var moverDone = false
    /// Row ids of decisions whose outcome has not come yet; the mover's own.
    private var rows: [UInt64: Int64] = [:]
    /// Outcome lines the journal could not take yet (a full disk), oldest first.
    private var unwrittenOutcomes: [[UInt8]] = []

    /// Opens the journals of `store` in `directory` (created, mode 0700, when missing) and moves into SQLite
    /// every journal a dead process left there.
    public init(
        store: any AuditJournalDestination,
        directory: String,
        rotateBytes: Int = 256 << 10,
        report: @escaping @Sendable (String) -> Void = JournaledAuditStore.reportToStandardError
    ) throws(StoreError) {
        self.store = store
        self.directory = directory
        self.rotateBytes = rotateBytes
        self.report = report
        do {
            try PrivateDirectory.create(directory)
        } catch {
            throw StoreError(code: .cannotOpen, location: directory, message: "cannot create the audit journal directory: \(error)")
        }
        do {
            try Self.recoverOrphans(in: directory, into: store, report: report)
        } catch {
            // The trail stays readable; the journals wait for the next store opened on the file.
            report("audit journals left by a stopped process cannot be moved into the database yet (\(error)); they stay in \(directory)")
        }
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// A line on standard error, where every mode of Warden keeps its diagnostics (stdout may carry the protocol).
    public static let reportToStandardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(("warden: " + text + "\n").utf8))
    }

    // MARK: AuditStore

    public func append(_ record: AuditRecord) throws(StoreError) -> Int64 {
        let body = record.jsonValue.encodedBytes
        condition.lock()
        defer { condition.unlock() }
        let handle = nextHandle
        // The record is encoded before the lock is taken; only the handle goes in under it.
        try writeLocked(AuditJournalEntry.decisionLine(handle: handle, record: body))
        nextHandle += 1
        if record.outcome == nil {
            awaiting[handle] = (record.sessionID, record.requestID)
            if awaiting.count > 100_000 {
                // Calls whose outcome never came: keep the newest half.
                awaiting = awaiting.filter { $0.key + 50_000 > handle }
            }
        }
        return Int64(handle)
    }

    public func recordOutcome(id: Int64, outcome: AuditOutcome, upstreamMicroseconds: Int?) throws(StoreError) {
        condition.lock()
        defer { condition.unlock() }
        let call = awaiting.removeValue(forKey: UInt64(id))
        let line = AuditJournalEntry.outcome(
            handle: UInt64(id),
            sessionID: call?.session ?? "",
            requestID: call?.request,
            outcome: outcome,
            upstreamMicroseconds: upstreamMicroseconds
        ).line
        do {
            try writeLocked(line)
        } catch {
            // The call was answered: its outcome waits in memory for the journal to take writes again.
            guard !stopping, unwrittenOutcomes.count < Self.maxUnwrittenOutcomes else { throw error }
            if unwrittenOutcomes.isEmpty {
                report("audit outcomes cannot be written (\(error)); they wait in memory and are written when the journal can be")
            }
            unwrittenOutcomes.append(line)
            condition.broadcast()
        }
    }

    /// How many outcomes wait in memory for the journal.
    public var unwrittenOutcomeCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return unwrittenOutcomes.count
    }

    /// Writes the outcomes that wait in memory, oldest first, stopping at the first that still fails.
    private func writeUnwrittenOutcomesLocked() {
        guard !unwrittenOutcomes.isEmpty else { return }
        var done = 0
        for line in unwrittenOutcomes {
            guard (try? writeLineLocked(line)) != nil else { break }
            done += 1
        }
        unwrittenOutcomes.removeFirst(done)
        if done > 0, unwrittenOutcomes.isEmpty { report("audit outcomes that waited in memory are written; none were lost") }
    }

    public func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord] {
        flush()
        return try store.query(filter)
    }

    public func prune(before time: Timestamp) throws(StoreError) -> Int {
        flush()
        return try store.prune(before: time)
    }

    public func summary(since time: Timestamp) throws(StoreError) -> AuditSummary {
        flush()
        return try store.summary(since: time)
    }

    /// Waits until what this process wrote so far is in SQLite, or `timeout` passes (a locked or full database).
    public func flush(timeout: Duration = .seconds(5)) {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        let target = written
        let journal = generation
        while generation == journal, moved < target, moverRunning, !moverDone {
            if !condition.wait(until: deadline) { break }
        }
    }

    /// Moves what is left into SQLite, stops the mover and deletes this process's journal once it is all moved.
    /// A journal that could not be moved stays for the next store opened on the file.
    public func close() {
        condition.lock()
        writeUnwrittenOutcomesLocked()
        if !unwrittenOutcomes.isEmpty {
            report("\(unwrittenOutcomes.count) audit outcome(s) could not be written before closing and are lost")
        }
        condition.unlock()
        flush()
        condition.lock()
        stopping = true
        condition.broadcast()
        let deadline = Date().addingTimeInterval(5)
        while moverRunning, !moverDone {
            if !condition.wait(until: deadline) { break }
        }
        let finished = moved == written && (moverDone || !moverRunning)
        let (descriptor, name) = (self.descriptor, self.name)
        if finished, descriptor >= 0 { self.descriptor = -1 }
        condition.unlock()
        guard finished, descriptor >= 0 else { return }
        unlink(directory + "/" + name)
        Glibc.close(descriptor)
        try? store.forgetJournal(name)
    }

    // MARK: Writing

    /// Appends one whole line to the journal, creating the journal on first use. A write that fails part-way is cut
    /// back, so the next line does not land on a torn one.
    private func writeLocked(_ line: [UInt8]) throws(StoreError) {
        writeUnwrittenOutcomesLocked()
        if !unwrittenOutcomes.isEmpty {
            // The journal still cannot take the older outcomes; a new line would not fit either.
            throw StoreError(code: .cannotWrite, location: directory + "/" + name, message: "cannot write the audit journal: outcomes still wait for it")
        }
        try writeLineLocked(line)
    }

    private func writeLineLocked(_ line: [UInt8]) throws(StoreError) {
        if stopping {
            throw StoreError(code: .cannotWrite, location: directory, message: "the audit trail is closed")
        }
        if descriptor < 0 { try openJournalLocked() }
        var done = 0
        let failure: Int32? = line.withUnsafeBytes { bytes in
            while done < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += count
            }
            return nil
        }
        if let failure {
            if done > 0 { _ = ftruncate(descriptor, off_t(written)) }
            throw StoreError(
                code: .cannotWrite,
                location: directory + "/" + name,
                message: "cannot write the audit journal: \(String(cString: strerror(failure)))"
            )
        }
        written += line.count
        condition.signal()
    }

    private func openJournalLocked() throws(StoreError) {
        let (descriptor, name) = try Self.createJournal(in: directory)
        self.descriptor = descriptor
        self.name = name
        written = 0
        moved = 0
        if !moverRunning {
            moverRunning = true
            let thread = Thread { [self] in moverLoop() }
            thread.name = "warden-audit-journal"
            thread.start()
        }
    }

    /// A new journal, locked, under its final name.
    private static func createJournal(in directory: String) throws(StoreError) -> (Int32, String) {
        let random = (0..<4).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let name = "\(getpid())-\(random).jsonl"
        let hidden = directory + "/." + name
        let descriptor = open(hidden, O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(code: .cannotWrite, location: hidden, message: "cannot create the audit journal: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX) == 0, rename(hidden, directory + "/" + name) == 0 else {
            let problem = String(cString: strerror(errno))
            Glibc.close(descriptor)
            unlink(hidden)
            throw StoreError(code: .cannotWrite, location: hidden, message: "cannot set up the audit journal: \(problem)")
        }
        return (descriptor, name)
    }

    // MARK: Moving into SQLite

    private func moverLoop() {
        var failures = 0
        while true {
            condition.lock()
            while moved == written, !stopping {
                if unwrittenOutcomes.isEmpty {
                    condition.wait()
                } else {
                    // Outcomes wait in memory: try the journal again a few times a second.
                    _ = condition.wait(until: Date().addingTimeInterval(0.2))
                    writeUnwrittenOutcomesLocked()
                }
            }
            if moved == written || (stopping && failures >= 3) {
                moverDone = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let (descriptor, name, from, to) = (self.descriptor, self.name, moved, written)
            condition.unlock()

            var position = from
            do {
                try Self.move(descriptor, from: &position, to: to, journal: name, into: store, rows: &rows, report: report)
                if failures > 0 { report("audit records reach the database again; none were lost") }
                failures = 0
            } catch {
                // A locked or full database: the records wait in the journal; try again shortly, from what was
                // committed. Said once per run of failures, not once per attempt.
                if failures == 0 {
                    report(
                        "audit records cannot be written to the database (\(error)); they wait in \(directory)/\(name) "
                            + "and are moved when it can be written again"
                    )
                }
                failures += 1
                condition.lock()
                moved = position
                condition.unlock()
                Thread.sleep(forTimeInterval: min(0.05 * Double(failures), 1))
                continue
            }
            let consumed = position - from
            if rows.count > 100_000, let newest = rows.keys.max() {
                // Calls whose outcome never came (the process is ending them all, say): forget the oldest.
                rows = rows.filter { $0.key + 50_000 > newest }
            }

            condition.lock()
            moved = from + consumed
            var replaced: (Int32, String)?
            if moved == written, written >= rotateBytes, !stopping, let fresh = try? Self.createJournal(in: self.directory) {
                replaced = (self.descriptor, self.name)
                (self.descriptor, self.name) = fresh
                written = 0
                moved = 0
                generation += 1
            }
            condition.broadcast()
            condition.unlock()
            if let (old, oldName) = replaced {
                unlink(directory + "/" + oldName)
                Glibc.close(old)
                try? store.forgetJournal(oldName)
            }
        }
    }
}
