import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// What Warden checks about a SQLite store file before and while opening it.
///
/// SQLite takes an empty file for a new database, so a store truncated to 0 bytes would silently become a new, empty
/// audit trail with its limits, approvals and pins forgotten. A store that existed leaves its audit journal directory
/// beside it (created by the first audit store opened on it, after the file got its header), so an empty file with
/// that directory is a store that lost its content, and opening it is refused. A file that is not a SQLite database
/// (a damaged header) is refused with the same advice. ``startAfresh(_:)`` is the explicit way past both.
public enum SQLiteStoreFile {
    /// The directory of audit journals that a store at `path` keeps beside it.
    public static func journalDirectory(of path: String) -> String {
        path + ".audit-journals"
    }

    /// Held while a store of this process checks and opens its file, so one never sees a file another is creating.
    static let openingLock = NSLock()

    /// The sentence that tells a person what to do about a store that cannot be used as it is.
    static let advice =
        "restore it from a backup, or run Warden once with --start-afresh to set it aside and begin a new store "
        + "(records still waiting in the audit journals are kept)"

    /// Refuses a store that existed and lost its content. Looks at the file's size only (`stat`): opening and
    /// closing a file another connection of this process has open would drop that connection's locks.
    static func checkNotEmptied(_ path: String) throws(StoreError) {
        guard isEmptied(path) else { return }
        throw StoreError(
            code: .cannotOpen,
            location: path,
            message: "the store file is empty, but the audit journals beside it show that it held a store: it was "
                + "truncated or replaced; Warden will not start a new trail in its place; " + advice
        )
    }

    /// The error to throw for a failure to open `path`: a clear one when SQLite found no database in the file.
    static func openingError(_ path: String, store: String, _ error: any Error) -> StoreError {
        if let error = error as? DatabaseError, [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            return StoreError(
                code: .cannotOpen,
                location: path,
                message: "the store file is damaged (SQLite: \(error.message ?? "\(error.resultCode)")): its header or "
                    + "content is not a SQLite database; " + advice
            )
        }
        return StoreError(
            code: .cannotOpen,
            location: path,
            message: "cannot open the \(store): \(error); check that the path names a file in a directory this user can write"
        )
    }

    /// Whether `path` is an empty file although its store existed.
    static func isEmptied(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0, status.st_size == 0 else { return false }
        var directory = stat()
        return stat(journalDirectory(of: path), &directory) == 0
    }

    /// Whether `path` holds something that is not a SQLite database: too short for its header, or another header.
    /// Opens the file, so it must run before any store of this process is opened on it.
    static func hasDamagedHeader(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 100)
        let count = header.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 100) }
        guard count != 0 else { return false }
        return count < 100 || !header.prefix(16).elementsEqual("SQLite format 3\0".utf8)
    }

    /// Sets a store file aside when it lost its content or its header is damaged, so the next opening begins a new
    /// store; returns where it went (`PATH.broken-SECONDS`, with its `-wal` and `-shm`), or nil when the file is
    /// missing or sound and nothing was moved. The audit journals stay: their records go into the new store.
    ///
    /// Call it before any store of this process is opened on `path`.
    public static func startAfresh(_ path: String) throws(StoreError) -> String? {
        guard isEmptied(path) || hasDamagedHeader(path) else { return nil }
        let aside = path + ".broken-\(Int(Date().timeIntervalSince1970))"
        for suffix in ["", "-wal", "-shm"] where access(path + suffix, F_OK) == 0 {
            guard rename(path + suffix, aside + suffix) == 0 else {
                throw StoreError(
                    code: .cannotWrite,
                    location: path + suffix,
                    message: "cannot set the damaged store file aside: \(String(cString: strerror(errno)))"
                )
            }
        }
        // The journals' progress was recorded in the file set aside: every journal is read again from its start.
        return aside
    }
}
