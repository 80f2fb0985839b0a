import GRDB

/// Another connection holding the database file's write lock across calls, as another process (or a stuck peer)
/// would, without tying up a thread while it holds it.
struct WriteLock {
    private let queue: DatabaseQueue

    init(path: String) throws {
        var options = Configuration()
        options.allowsUnsafeTransactions = true  // the transaction outlives the call that opens it
        queue = try DatabaseQueue(path: path, configuration: options)
    }

    func take() async throws {
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
    }

    func release() async throws {
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
    }
}
