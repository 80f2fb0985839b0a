public import WardenPolicy
import Synchronization
import WardenJSON

/// Pins kept in memory: for tests and `--store memory:` (forgotten when the process ends, so every start trusts anew).
public final class MemoryPinStore: PinStore {
    /// Names compared by their Unicode scalars, as SQLite and PostgreSQL compare them.
    private struct Key: Hashable {
        var server: ScalarKey
        var tool: ScalarKey

        init(server: String, tool: String) {
            self.server = ScalarKey(server)
            self.tool = ScalarKey(tool)
        }
    }

    private let records = Mutex<[Key: PinRecord]>([:])

    public init() {}

    public func observe(server: String, tools: [PinObservation], holdNew: Bool, at time: Timestamp) throws(StoreError)
        -> [PinVerdict]
    {
        records.withLock { records in
            var verdicts: [PinVerdict] = []
            for observation in tools {
                let key = Key(server: server, tool: observation.tool)
                let (record, verdict) = PinRecord.observing(observation, server: server, existing: records[key], holdNew: holdNew, at: time)
                records[key] = record
                verdicts.append(verdict)
            }
            return verdicts
        }
    }

    public func list(server: String?) throws(StoreError) -> [PinRecord] {
        let all = records.withLock { Array($0.values) }
        return all.filter { record in server.map { ScalarKey.equal(record.server, $0) } ?? true }.sorted { ($0.server, $0.tool) < ($1.server, $1.tool) }
    }

    public func get(server: String, tool: String) throws(StoreError) -> PinRecord? {
        records.withLock { $0[Key(server: server, tool: tool)] }
    }

    public func accept(server: String, tool: String, by person: String, at time: Timestamp) throws(StoreError) -> PinRecord? {
        records.withLock { records in
            let key = Key(server: server, tool: tool)
            guard let accepted = records[key]?.accepted(by: person, at: time) else { return nil }
            records[key] = accepted
            return accepted
        }
    }

    public func acceptAll(server: String, by person: String, at time: Timestamp) throws(StoreError) -> [PinRecord] {
        records.withLock { records in
            var accepted: [PinRecord] = []
            for (key, record) in records where key.server == ScalarKey(server) {
                guard let after = record.accepted(by: person, at: time) else { continue }
                records[key] = after
                accepted.append(after)
            }
            return accepted.sorted { $0.tool < $1.tool }
        }
    }
}
