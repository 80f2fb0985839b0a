import Foundation
import Logging
import Testing
import WardenPolicy
import WardenProxy
import WardenStore
import WardenTesting

@Suite("The runtime's services")
struct RuntimeTests {
    @Test("while the session runs the process is listed for warden status; once it ends the listing is gone and the journal is moved")
    func sessionEndStopsTheRuntime() async throws {
        let directory = try TemporaryDirectory()
        let path = "\(directory.path)/warden.db"
        let journals = path + ".audit-journals"
        var configuration = RuntimeConfiguration(mode: "run", server: "test")
        configuration.store = .sqlite(path: path)
        let runtime = Runtime(configuration: configuration, logger: Logger(label: "warden.test"))
        let audit = try #require(runtime.audit)
        let registry = try SQLiteInstanceRegistry(path: path)
        let listed: @Sendable () throws -> [String] = { try registry.instances(aliveSince: Timestamp(millisecondsSinceEpoch: 0)).map(\.id) }

        try await runtime.run {
            // The runtime's services start beside the session: wait (briefly) for the listing.
            for _ in 0..<100 where try listed().isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try listed() == [InstanceID.current])
            _ = try audit.append(AuditRecord(time: Timestamp.now(), sessionID: "s", tool: "echo", decision: .allowed))
            #expect(try FileManager.default.contentsOfDirectory(atPath: journals).contains { $0.hasSuffix(".jsonl") })
        }

        #expect(try listed().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: journals).allSatisfy { !$0.hasSuffix(".jsonl") })
        #expect(try SQLiteAuditStore(path: path).query(AuditFilter()).map(\.tool) == ["echo"])
    }
}
