import Testing
import WardenPolicy
import WardenStore
import WardenTesting

@Suite("Instance registries")
struct InstanceRegistryTests {
    enum Kind: String, CaseIterable, Sendable { case memory, sqlite }

    func make(_ kind: Kind, in directory: String) throws -> any InstanceRegistry {
        switch kind {
        case .memory: MemoryInstanceRegistry()
        case .sqlite: try SQLiteInstanceRegistry(path: directory + "/warden.db")
        }
    }

    @Test("instances that beat recently are listed, oldest first; silent and departed ones are not", arguments: Kind.allCases)
    func listsLiveInstances(kind: Kind) async throws {
        try await withTemporaryDirectory { directory in
            let registry = try make(kind, in: directory)
            let first = InstanceRecord(id: "a", pid: 10, mode: "run", server: "files", startedAt: auditStart, heartbeatAt: auditStart)
            let second = InstanceRecord(
                id: "b",
                pid: 11,
                mode: "gateway",
                server: nil,
                startedAt: auditStart + .seconds(1),
                heartbeatAt: auditStart + .seconds(1)
            )
            let third = InstanceRecord(
                id: "c",
                pid: 12,
                mode: "run",
                server: nil,
                startedAt: auditStart + .seconds(2),
                heartbeatAt: auditStart + .seconds(2)
            )
            for instance in [third, first, second] { try registry.register(instance) }
            try registry.heartbeat(id: "a", at: auditStart + .seconds(40))
            try registry.heartbeat(id: "c", at: auditStart + .seconds(40))
            try registry.heartbeat(id: "nobody", at: auditStart + .seconds(40))
            try registry.unregister(id: "c")

            var expected = first
            expected.heartbeatAt = auditStart + .seconds(40)
            #expect(try registry.instances(aliveSince: auditStart + .seconds(10)) == [expected])
            #expect(try registry.instances(aliveSince: auditStart).map(\.id) == ["a", "b"])
        }
    }

    @Test("a registry on the file is seen by another connection, as `warden status` sees a running proxy")
    func sharedThroughTheFile() async throws {
        try await withTemporaryDirectory { directory in
            let writer = try SQLiteInstanceRegistry(path: directory + "/warden.db")
            let reader = try StoreDSN.sqlite(path: directory + "/warden.db").makeInstanceRegistry()
            try writer.register(InstanceRecord(id: "p", pid: 42, mode: "run", server: "s", startedAt: auditStart, heartbeatAt: auditStart))
            #expect(try reader.instances(aliveSince: auditStart).map(\.pid) == [42])
            try writer.unregister(id: "p")
            #expect(try reader.instances(aliveSince: auditStart).isEmpty)
        }
    }
}
