import Foundation
import Testing
import WardenPolicy
import WardenStore
import WardenTesting

/// A store that lost its content must never become a new, empty trail in silence.
@Suite("Broken store files")
struct BrokenStoreTests {
    /// A store at `path` with `count` records moved into its database, closed.
    static func makeStore(_ path: String, records count: Int) throws {
        let audit = try StoreDSN.sqlite(path: path).makeAuditStore()
        for second in 0..<count { _ = try audit.append(fullRecord(second: Int64(second))) }
        #expect(try audit.query(AuditFilter()).count == count)
        audit.close()
    }

    static func truncate(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { _ = Foundation.truncate(path + suffix, 0) }
    }

    /// The error an opening throws, or nil when it opened.
    static func openingError(_ open: () throws -> Void) -> StoreError? {
        do {
            try open()
            return nil
        } catch {
            return error as? StoreError
        }
    }

    @Test("a store truncated to 0 bytes is refused by every store kind, with an error naming the file and the way out")
    func truncatedRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/warden.db"
        try Self.makeStore(path, records: 3)
        Self.truncate(path)
        let dsn = StoreDSN.sqlite(path: path)
        let openings: [(String, () throws -> Void)] = [
            ("audit", { _ = try dsn.makeAuditStore() }),
            ("limits", { _ = try dsn.makeLimitStore() }),
            ("approvals", { _ = try dsn.makeApprovalStore() }),
            ("instances", { _ = try dsn.makeInstanceRegistry() }),
            ("pins", { _ = try dsn.makePinStore() }),
        ]
        for (name, open) in openings {
            let error = try #require(Self.openingError(open), "\(name) opened an emptied store")
            #expect(error.code == .cannotOpen, "\(name)")
            #expect(error.location == path, "\(name)")
            #expect(error.description.contains("the store file is empty"), "\(name): \(error)")
            #expect(error.description.contains("--start-afresh"), "\(name): \(error)")
        }
        // Refusing changed nothing: the file is still the empty one.
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 0)
    }

    @Test("a store whose header is damaged is refused with an error naming the file")
    func damagedHeaderRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/warden.db"
        try Self.makeStore(path, records: 3)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.write(Data(repeating: 0x5a, count: 100))
        try handle.close()
        let error = try #require(Self.openingError { _ = try StoreDSN.sqlite(path: path).makeAuditStore() })
        #expect(error.location == path)
        #expect(error.description.contains("the store file is damaged"), "\(error)")
        #expect(error.description.contains("--start-afresh"), "\(error)")
        let limits = try #require(Self.openingError { _ = try StoreDSN.sqlite(path: path).makeLimitStore() })
        #expect(limits.description.contains("the store file is damaged"), "\(limits)")
    }

    @Test("starting afresh sets an emptied store aside and opens a new one; a sound or missing file is left alone")
    func startAfresh() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/warden.db"
        #expect(try SQLiteStoreFile.startAfresh(path) == nil)
        try Self.makeStore(path, records: 2)
        #expect(try SQLiteStoreFile.startAfresh(path) == nil)
        Self.truncate(path)
        let aside = try #require(try SQLiteStoreFile.startAfresh(path))
        #expect(aside.hasPrefix(path + ".broken-"))
        #expect(FileManager.default.fileExists(atPath: aside))
        #expect(!FileManager.default.fileExists(atPath: path))
        let audit = try StoreDSN.sqlite(path: path).makeAuditStore()
        _ = try audit.append(fullRecord(second: 9))
        #expect(try audit.query(AuditFilter()).count == 1)
        audit.close()
        _ = try StoreDSN.sqlite(path: path).makeLimitStore()
    }

    @Test("starting afresh sets a damaged header aside too")
    func startAfreshDamaged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/warden.db"
        try Self.makeStore(path, records: 2)
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try SQLiteStoreFile.startAfresh(path) != nil)
        _ = try StoreDSN.sqlite(path: path).makeAuditStore()
    }

    @Test("a new store in a fresh directory, and a store file deleted on purpose, open as new stores")
    func newStoresOpen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/warden.db"
        try Self.makeStore(path, records: 1)
        try FileManager.default.removeItem(atPath: path)
        try Self.makeStore(path, records: 1)
    }
}
