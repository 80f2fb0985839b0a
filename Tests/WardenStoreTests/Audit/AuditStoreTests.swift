import Testing
import WardenPolicy
import WardenStore
import WardenTesting

@Suite("Audit stores")
struct AuditStoreTests {
    @Test("a record reads back with every field as written, and gets an id", arguments: AuditStoreKind.allCases)
    func roundTripsEveryField(kind: AuditStoreKind) async throws {
        try await withTemporaryDirectory { directory in
            let store = try kind.make(in: directory)
            var record = fullRecord(decision: .denied)
            record.upstreamMicroseconds = 1234
            record.id = 999  // ignored: the store assigns ids
            let id = try store.append(record)
            var expected = record
            expected.id = id
            #expect(try store.query(AuditFilter()) == [expected])

            var sparse = AuditRecord(time: auditStart, sessionID: "s", tool: "t", decision: .hidden)
            sparse.id = try store.append(sparse)
            #expect(try store.query(AuditFilter(afterID: id)) == [sparse])
        }
    }

    @Test("every decision and outcome name survives the store", arguments: AuditStoreKind.allCases)
    func decisionsAndOutcomesRoundTrip(kind: AuditStoreKind) async throws {
        try await withTemporaryDirectory { directory in
            let store = try kind.make(in: directory)
            for (index, decision) in AuditDecision.all.enumerated() {
                var record = fullRecord(second: Int64(index), decision: decision)
                record.outcome = AuditOutcome.all[index % AuditOutcome.all.count]
                _ = try store.append(record)
            }
            let read = try store.query(AuditFilter())
            #expect(read.map(\.decision) == AuditDecision.all)
            #expect(read.map(\.outcome) == AuditDecision.all.indices.map { AuditOutcome.all[$0 % AuditOutcome.all.count] })
        }
    }

    @Test("each filter keeps only the records that match it", arguments: AuditStoreKind.allCases)
    func filters(kind: AuditStoreKind) async throws {
        try await withTemporaryDirectory { directory in
            let store = try kind.make(in: directory)
            let records = [
                fullRecord(second: 0, tool: "read_record", agent: "bot"),
                fullRecord(second: 10, tool: "write_record", agent: "bot", decision: .denied),
                fullRecord(second: 20, tool: "write_record", agent: "ci", decision: .rateLimited),
                fullRecord(second: 30, tool: "delete_record", agent: nil, decision: .hidden),
            ]
            let ids = try records.map { try store.append($0) }
            func seconds(_ filter: AuditFilter) throws -> [String?] { try store.query(filter).map(\.requestID) }

            #expect(try seconds(AuditFilter()) == ["0", "10", "20", "30"])
            #expect(try seconds(AuditFilter(since: auditStart + .seconds(10))) == ["10", "20", "30"])
            #expect(try seconds(AuditFilter(until: auditStart + .seconds(20))) == ["0", "10", "20"])
            #expect(try seconds(AuditFilter(since: auditStart + .seconds(5), until: auditStart + .seconds(25))) == ["10", "20"])
            #expect(try seconds(AuditFilter(agentID: "bot")) == ["0", "10"])
            #expect(try seconds(AuditFilter(tool: "write_record")) == ["10", "20"])
            #expect(try seconds(AuditFilter(decision: .rateLimited)) == ["20"])
            #expect(try seconds(AuditFilter(rule: "legal hold")) == ["10", "20", "30"])
            #expect(try seconds(AuditFilter(afterID: ids[1])) == ["20", "30"])
            #expect(try seconds(AuditFilter(limit: 2)) == ["20", "30"], "the newest two, oldest first")
            #expect(try seconds(AuditFilter(tool: "write_record", decision: .denied)) == ["10"], "filters combine")
            #expect(try seconds(AuditFilter(tool: "no_such_tool")) == [])
        }
    }

    @Test("an outcome is added to the record it names and to no other", arguments: AuditStoreKind.allCases)
    func recordsOutcome(kind: AuditStoreKind) async throws {
        try await withTemporaryDirectory { directory in
            let store = try kind.make(in: directory)
            let first = try store.append(fullRecord(second: 0))
            let second = try store.append(fullRecord(second: 1))
            try store.recordOutcome(id: second, outcome: .toolError, upstreamMicroseconds: 4_200)
            try store.recordOutcome(id: 12_345, outcome: .dead, upstreamMicroseconds: nil)  // unknown: no error
            let read = try store.query(AuditFilter())
            #expect(read.map(\.id) == [first, second])
            #expect(read[0].outcome == nil && read[0].upstreamMicroseconds == nil)
            #expect(read[1].outcome == .toolError && read[1].upstreamMicroseconds == 4_200)
        }
    }

    @Test("pruning deletes exactly the records older than the cut, and ids never repeat after it", arguments: AuditStoreKind.allCases)
    func prunes(kind: AuditStoreKind) async throws {
        try await withTemporaryDirectory { directory in
            let store = try kind.make(in: directory)
            let ids = try (0..<5).map { try store.append(fullRecord(second: Int64($0) * 10)) }
            #expect(try store.prune(before: auditStart + .seconds(20)) == 2)
            #expect(try store.query(AuditFilter()).map(\.id) == Array(ids[2...]))
            #expect(try store.prune(before: auditStart + .seconds(20)) == 0)
            #expect(try store.prune(before: auditStart + .seconds(1_000)) == 3)
            #expect(try store.query(AuditFilter()).isEmpty)
            let next = try store.append(fullRecord(second: 50))
            #expect(next > ids[4])
        }
    }

    @Test("the summary counts decisions in the span and ranks the rules behind refusals", arguments: AuditStoreKind.allCases)
    func summarizes(kind: AuditStoreKind) async throws {
        try await withTemporaryDirectory { directory in
            let store = try kind.make(in: directory)
            func add(_ second: Int64, _ decision: AuditDecision, rule: String?) throws {
                var record = fullRecord(second: second, decision: decision)
                record.rule = rule
                _ = try store.append(record)
            }
            try add(0, .denied, rule: "too old")  // before the span
            for rule in ["a", "b", "b", "c", "c", "c", "d", "e", "f", "f"] { try add(10, .denied, rule: rule) }
            try add(11, .rateLimited, rule: "a")
            try add(12, .approvalExpired, rule: "a")
            try add(13, .allowed, rule: "z")  // allowed by a rule: not a denial
            try add(14, .approvalPending, rule: "z")
            try add(15, .approvalApproved, rule: "z")
            try add(16, .hidden, rule: nil)

            let summary = try store.summary(since: auditStart + .seconds(5))
            #expect(summary.since == auditStart + .seconds(5))
            #expect(summary.total == 16)
            #expect(
                summary.byDecision == [
                    .denied: 10, .rateLimited: 1, .approvalExpired: 1, .allowed: 1, .approvalPending: 1, .approvalApproved: 1, .hidden: 1,
                ]
            )
            #expect(summary.refusals == 12)
            #expect(
                summary.topDenyingRules
                    == [
                        .init(rule: "a", count: 3), .init(rule: "c", count: 3), .init(rule: "b", count: 2), .init(rule: "f", count: 2),
                        .init(rule: "d", count: 1),
                    ]
            )
            let empty = try store.summary(since: auditStart + .seconds(100))
            #expect(empty == AuditSummary(since: auditStart + .seconds(100)))
        }
    }
}
