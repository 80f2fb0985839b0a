import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// One PostgreSQL server as every store of a process uses it: a small pool of connections on a thread of its own,
/// the schema migrated once, and a backoff while the server cannot be reached.
///
/// Each operation borrows a connection, runs its statements, and gives the connection back; a connection that saw
/// an error is closed, not reused, so a server restart costs one failed operation per pooled connection at most.
/// After a failed connection attempt, operations fail at once with the reason until the backoff (100 ms doubling
/// to 5 s) has passed; the next attempt after that reconnects. Nothing blocks for longer than the connect timeout
/// (3 s) or the statement timeout (`statement_timeout`, 10 s).
///
/// Synchronous callers (the approval, audit, instance and pin stores) wait on a semaphore; the connections run on
/// this database's own event loop, never on the caller's, so a caller on any other event loop cannot deadlock it.
final class PostgresDatabase: Sendable {
    let location: PostgresLocation
    let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let state = Mutex(State())
    private let channels = Mutex<[String: PostgresNotifications]>([:])
    /// The most connections kept open; a caller that finds none free waits for one, up to the connect timeout.
    static let poolSize = 8
    static let statementTimeout = "10s"

    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var nextID = 1
        var failures = 0
        var retryAt: UInt64 = 0
        var lastError = ""
        var migrated = false
    }

    /// A database of its own, not shared with the rest of the process: what a second replica looks like to a test.
    init(location: PostgresLocation) {
        self.location = location
        var logger = Logger(label: "warden.postgres")
        logger.logLevel = .critical
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // Kept for the process's life, like the connections it pools: a connection must be closed before it is let go.
        Self.everyDatabase.withLock { $0.append(self) }
    }

    private static let everyDatabase = Mutex<[PostgresDatabase]>([])

    /// One database per URL and process, so every store opened from the same `--store` shares its pool.
    static func shared(url: String) throws(StoreError) -> PostgresDatabase {
        let location = try PostgresLocation(url: url)
        return registry.withLock { databases in
            if let existing = databases[url] { return existing }
            let database = PostgresDatabase(location: location)
            databases[url] = database
            return database
        }
    }

    private static let registry = Mutex<[String: PostgresDatabase]>([:])

    // MARK: Running statements

    /// Runs `body` with a connection, blocking this thread; errors become a ``StoreError`` with `code`.
    func run<T>(_ code: StoreError.Code, _ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        let connection = try borrow()
        do {
            let value = try body(PostgresSession(connection: connection, logger: logger))
            giveBack(connection, healthy: true)
            return value
        } catch let error as StoreError {
            giveBack(connection, healthy: false)
            throw error
        } catch {
            giveBack(connection, healthy: false)
            throw failure(code, error)
        }
    }

    /// Runs `body` inside one transaction (BEGIN … COMMIT). On any error the connection is closed, not reused, and
    /// the server rolls the transaction back: no ROLLBACK is sent, since a connection that failed may never answer it.
    func transaction<T>(_ code: StoreError.Code, _ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        try run(code) { session in
            try session.execute("BEGIN")
            let value = try body(session)
            try session.execute("COMMIT")
            return value
        }
    }

    /// The error for a failed operation, naming the server and what PostgreSQL said.
    func failure(_ code: StoreError.Code, _ error: any Error) -> StoreError {
        let reason = Self.describe(error)
        let verb = code == .cannotRead ? "read" : "write"
        return StoreError(code: code, location: location.display, message: "cannot \(verb) PostgreSQL: \(reason)")
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }

    // MARK: The pool

    private func borrow() throws(StoreError) -> PostgresConnection {
        let deadline = DispatchTime.now().uptimeNanoseconds + 3_000_000_000
        while true {
            enum Next { case use(PostgresConnection), connect(Int), wait, refuse(String) }
            let next: Next = state.withLock { state in
                if let connection = state.idle.popLast() { return .use(connection) }
                let now = DispatchTime.now().uptimeNanoseconds
                if state.failures > 0, now < state.retryAt { return .refuse(state.lastError) }
                guard state.open < Self.poolSize else { return .wait }
                state.open += 1
                state.nextID += 1
                return .connect(state.nextID)
            }
            switch next {
            case .use(let connection):
                if !connection.isClosed { return connection }
                state.withLock { $0.open -= 1 }
                _ = try? Self.wait(connection.close())
            case .connect(let id):
                return try connect(id: id)
            case .refuse(let reason):
                throw StoreError(
                    code: .cannotOpen,
                    location: location.display,
                    message: "PostgreSQL at \(location.host):\(location.port) is unreachable (\(reason)); Warden retries with backoff"
                )
            case .wait:
                guard DispatchTime.now().uptimeNanoseconds < deadline else {
                    throw StoreError(
                        code: .cannotOpen, location: location.display,
                        message: "all \(Self.poolSize) PostgreSQL connections stayed busy for 3 s"
                    )
                }
                usleep(500)
            }
        }
    }

    private func connect(id: Int) throws(StoreError) -> PostgresConnection {
        var opened: PostgresConnection?
        do {
            let configuration = try location.configuration()
            let future = PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger)
            let connection = try Self.wait(future)
            opened = connection
            let session = PostgresSession(connection: connection, logger: logger)
            try session.execute(PostgresQuery(unsafeSQL: "SET statement_timeout = '\(Self.statementTimeout)'"))
            try migrateOnce(session)
            state.withLock { state in
                state.failures = 0
                state.lastError = ""
            }
            return connection
        } catch {
            if let opened { _ = try? Self.wait(opened.close()) }
            let reason = error is StoreError ? "\(error)" : Self.describe(error)
            state.withLock { state in
                state.open -= 1
                state.failures += 1
                let backoff = min(UInt64(100_000_000) << UInt64(min(state.failures - 1, 6)), 5_000_000_000)
                state.retryAt = DispatchTime.now().uptimeNanoseconds + backoff
                state.lastError = reason
            }
            throw StoreError(
                code: .cannotOpen,
                location: location.display,
                message: "cannot connect to PostgreSQL at \(location.host):\(location.port): \(reason)"
            )
        }
    }

    private func giveBack(_ connection: PostgresConnection, healthy: Bool) {
        if healthy, !connection.isClosed {
            state.withLock { $0.idle.append(connection) }
            return
        }
        state.withLock { $0.open -= 1 }
        _ = try? Self.wait(connection.close())
    }

    /// Migrates the schema the first time any connection of this process opens.
    private func migrateOnce(_ session: PostgresSession) throws {
        guard !state.withLock({ $0.migrated }) else { return }
        try PostgresMigrations.migrate(session)
        state.withLock { $0.migrated = true }
    }

    /// An event loop of this database's own group, for connections made outside the pool (LISTEN).
    var eventLoop: any EventLoop { group.next() }

    /// Approvals decided by any replica, announced with NOTIFY on `warden_approvals` with the approval's id.
    var approvalChanges: PostgresNotifications { channel("warden_approvals") }

    /// Pins accepted by any replica or terminal, announced with NOTIFY on `warden_pins` with the server's name.
    var pinAcceptances: PostgresNotifications { channel("warden_pins") }

    /// The listener for `name`, one per database and channel.
    private func channel(_ name: String) -> PostgresNotifications {
        channels.withLock { channels in
            if let existing = channels[name] { return existing }
            let made = PostgresNotifications(database: self, channel: name)
            channels[name] = made
            return made
        }
    }

    /// Whether the last attempt to reach the server failed and the backoff has not passed: `/readyz` says not ready.
    var isUnreachable: Bool {
        state.withLock { $0.failures > 0 }
    }

    // MARK: Waiting

    /// Blocks this thread until `future` completes, or throws after `answerTimeout` (never called on this database's
    /// own event loop). The bound is what keeps a call from waiting forever on a server that vanished mid-answer:
    /// the connection that timed out is closed by the caller, and the call fails closed.
    static func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let semaphore = DispatchSemaphore(value: 0)
        let result = Mutex<Result<T, any Error>?>(nil)
        future.whenComplete { outcome in
            result.withLock { $0 = outcome.map { $0 } }
            semaphore.signal()
        }
        guard semaphore.wait(timeout: .now() + answerTimeout) == .success else {
            throw StoreError(
                code: .cannotRead, location: "", message: "PostgreSQL did not answer within \(Int(answerTimeout)) s"
            )
        }
        return try result.withLock { $0! }.get()
    }

    /// Longer than the statement timeout (10 s), so only a server that stopped answering altogether reaches it.
    static let answerTimeout: Double = 15

    /// Runs `body` with a connection from an async caller, without blocking a thread of the concurrency pool.
    func perform<T: Sendable>(
        _ code: StoreError.Code,
        _ body: @Sendable @escaping (PostgresSession) throws -> T
    ) async throws(StoreError) -> T {
        let outcome: Result<T, StoreError> = await withCheckedContinuation { continuation in
            blockingQueue.async {
                do throws(StoreError) {
                    continuation.resume(returning: .success(try self.run(code, body)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try outcome.get()
    }

    /// Where async callers' operations wait for the server, off the concurrency pool.
    private var blockingQueue: DispatchQueue { Self.queue }
    private static let queue = DispatchQueue(label: "warden.postgres", attributes: .concurrent)
}

/// A connection borrowed for one operation, with blocking helpers that keep the stores' code short.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement and returns its rows.
    @discardableResult
    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        let result = try PostgresDatabase.wait(connection.query(query, logger: logger))
        return Array(result.rows)
    }

    /// Runs a statement that returns nothing the caller needs.
    func execute(_ query: PostgresQuery) throws {
        _ = try PostgresDatabase.wait(connection.query(query, logger: logger))
    }

    /// Runs a statement and returns how many rows it changed.
    func changes(_ query: PostgresQuery) throws -> Int {
        let result = try PostgresDatabase.wait(connection.query(query, logger: logger))
        return result.metadata.rows ?? 0
    }
}

extension StoreDSN {
    /// Why this store cannot be used right now, or nil when it can: what `/readyz` reports. Only PostgreSQL can be
    /// away while Warden runs; a probe is one `SELECT 1`, or nothing while the reconnection backoff runs.
    public func unavailability() -> String? {
        guard kind == .postgres else { return nil }
        do {
            let database = try PostgresDatabase.shared(url: location)
            try database.run(.cannotRead) { session in try session.execute("SELECT 1") }
            return nil
        } catch {
            return error.description
        }
    }
}

extension StoreDSN {
    /// Calls `handler` with a server's name whenever a pin of that server is accepted through any process sharing
    /// this store, so held tools are read again at once. Only PostgreSQL announces acceptances; elsewhere nothing is
    /// called, and held tools are read again on their interval.
    public func watchPinAcceptances(_ handler: @escaping @Sendable (String) -> Void) {
        guard kind == .postgres, let database = try? PostgresDatabase.shared(url: location) else { return }
        database.pinAcceptances.onEvery(handler)
    }
}
