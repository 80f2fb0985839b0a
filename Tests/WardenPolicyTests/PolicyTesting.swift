import Testing
import WardenJSON
import WardenPolicy

/// Loads `yaml` as `test.yaml`, recording an issue (and returning an empty policy) if it does not load.
func load(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> Policy {
    do {
        return try PolicyLoader.load(yaml: yaml, fileName: "test.yaml")
    } catch {
        Issue.record("policy did not load:\n\(error)", sourceLocation: sourceLocation)
        return Policy()
    }
}

/// The errors loading `yaml` as `test.yaml` reports, as `file:line:col: message` lines; empty if it loads.
func loadErrors(_ yaml: String) -> [String] {
    do {
        _ = try PolicyLoader.load(yaml: yaml, fileName: "test.yaml")
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// The structured errors loading `yaml` reports.
func loadFailures(_ yaml: String) -> [PolicyError] {
    do {
        _ = try PolicyLoader.load(yaml: yaml, fileName: "test.yaml")
        return []
    } catch {
        return error.errors
    }
}

/// A compiled policy with `rules` (YAML list items, indented under `rules:`) and the given top-level lines.
func compile(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> CompiledPolicy {
    CompiledPolicy(load(yaml, sourceLocation: sourceLocation))
}

/// A call to `tool` with `arguments`, made on a Monday at 10:00 UTC (2024-01-01T10:00:00Z).
func call(
    _ tool: String,
    _ arguments: JSONValue = [:],
    agent: String? = nil,
    groups: [String] = [],
    server: String? = nil,
    category: ToolCategory? = nil
) -> ToolCall {
    ToolCall(
        tool: tool,
        arguments: arguments,
        agentID: agent,
        agentGroups: groups,
        sessionID: "session-1",
        clientName: "test-client",
        server: server,
        category: category,
        time: Timestamp(secondsSinceEpoch: 1_704_103_200)
    )
}
