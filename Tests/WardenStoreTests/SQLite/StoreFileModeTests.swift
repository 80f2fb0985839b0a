import Foundation
import Testing
import WardenPolicy
import WardenStore
import WardenTesting

/// The store file holds held calls with their arguments and the audit trail: only its owner may read it.
@Suite("Store file modes")
struct StoreFileModeTests {
    /// The permission bits of `path`, or nil when it does not exist.
    static func mode(_ path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_mode & 0o777)
    }

    @Test("a new store file and its -wal and -shm files are created with mode 0600 under a permissive umask")
    func createdPrivate() throws {
        let previous = umask(0o022)
        defer { _ = umask(previous) }
        let directory = try TemporaryDirectory()
        let shared = directory.path + "/warden.db"
        let approvals = try SQLiteApprovalStore(path: shared)
        let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        try approvals.create(ApprovalRecord(id: "ap_mode", createdAt: start, expiresAt: start + .seconds(60), sessionID: "s", tool: "t"))
        let audit = try SQLiteAuditStore(path: shared)
        let limits = directory.path + "/limits.db"
        let limitStore = try SQLiteLimitStore(path: limits)
        // The stores stay open while the files are looked at: SQLite removes the -wal and -shm files on the last close.
        withExtendedLifetime((approvals, audit, limitStore)) {
            for file in [shared, shared + "-wal", shared + "-shm", limits, limits + "-wal", limits + "-shm"] {
                #expect(Self.mode(file) == 0o600, "\(file)")
            }
        }
    }

    @Test("a store file an older version left readable by others is made private when it is opened")
    func tightensOldFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/warden.db"
        _ = try SQLiteApprovalStore(path: path)
        #expect(chmod(path, 0o644) == 0)
        _ = try SQLiteApprovalStore(path: path)
        #expect(Self.mode(path) == 0o600)
    }
}
