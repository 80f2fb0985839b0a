import Foundation
import Testing
import WardenPolicy

@testable import WardenStore
import WardenTesting

@Suite("PostgreSQL failures and locations", .serialized, .timeLimit(.minutes(2)))
struct PostgresFailureTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)

    @Test("the server gone: operations fail at once naming it, audit records wait in the journal, and all resumes after")
    func outage() async throws {
        let server = try PostgresTestServer()
        defer { try? server.stop() }
        let url = try server.makeDatabase()
        let database = try replica(url)
        let limits = PostgresLimitStore(database: database)
        let pins = PostgresPinStore(database: database)
        let directory = try TemporaryDirectory()
        let audit = try JournaledAuditStore(store: PostgresAuditStore(database: database), directory: directory.path + "/j", report: { _ in })
        defer { audit.close() }
        let request = LimitRequest(key: "k", max: 100, window: .seconds(60))
        #expect(try await limits.reserve([request], at: Self.start).isAdmitted)
        _ = try audit.append(AuditRecord(time: Self.start, sessionID: "s", tool: "before", decision: .allowed))

        try server.stop()
        let clock = ContinuousClock()
        let began = clock.now
        let error = await #expect(throws: StoreError.self) { try await limits.reserve([request], at: Self.start) }
        #expect(error?.description.contains("127.0.0.1:\(server.port)") == true)
        #expect(error?.description.contains(PostgresTestServer.password) == false)
        #expect(throws: StoreError.self) { try pins.list(server: nil) }
        #expect(clock.now - began < .seconds(8), "failing must not hang")
        #expect(database.isUnreachable)
        // The journal takes the record while the database is down: the call is still recorded before it is forwarded.
        _ = try audit.append(AuditRecord(time: Self.start + .seconds(1), sessionID: "s", tool: "during", decision: .allowed))

        try server.start()
        var back = false
        for _ in 0..<100 where !back {
            back = (try? await limits.reserve([request], at: Self.start)) != nil
            if !back { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(back, "the store never came back")
        // The journal's mover retries at most a second apart; under a loaded machine reconnecting can take longer.
        var tools: [String] = []
        for _ in 0..<300 where tools.count < 2 {
            tools = (try? PostgresAuditStore(database: try replica(url)).query(AuditFilter()).map(\.tool)) ?? []
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(tools == ["before", "during"])
    }

    @Test("URLs: ${ENV} and PGPASSWORD supply the password, the database defaults to the user, mistakes are named")
    func locations() throws {
        let environment = ["SECRET": "p@ss", "PGPASSWORD": "fallback"]
        let expanded = try PostgresLocation(url: "postgres://warden:${SECRET}@db:6432/fleet?sslmode=require", environment: environment)
        #expect(expanded.host == "db" && expanded.port == 6432 && expanded.database == "fleet" && expanded.sslMode == "require")
        #expect(expanded.password == "p@ss")
        #expect(!expanded.display.contains("p@ss"))
        let fallback = try PostgresLocation(url: "postgresql://warden@db", environment: environment)
        #expect(fallback.password == "fallback" && fallback.database == "warden" && fallback.port == 5432)
        for (url, message) in [
            ("postgres://warden@db/x?sslmode=maybe", "sslmode must be disable, require or verify-full"),
            ("postgres://warden@db/x?timeout=3", "unknown parameter `timeout`"),
            ("postgres://warden:${NOPE}@db/x", "NOPE is not set"),
            ("postgres://db/x", "names no user"),
        ] {
            let error = #expect(throws: StoreError.self) { try PostgresLocation(url: url, environment: environment) }
            #expect(error?.message.contains(message) == true, "\(url): \(error?.message ?? "")")
        }
    }
}
