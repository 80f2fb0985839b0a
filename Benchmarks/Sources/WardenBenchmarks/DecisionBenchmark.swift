import WardenJSON
import WardenPolicy

/// How long one policy decision takes with many rules.
enum DecisionBenchmark {
    /// A policy with `count` rules over `count / 2` tools, a third of them with argument conditions, and a few globs.
    static func makePolicy(rules count: Int) -> String {
        var yaml = "version: 1\ndefault: allow\nhide: [\"admin_*\", delete_everything]\nrules:\n"
        for index in 0..<count {
            let tool = "tool_\(index / 2)"
            switch index % 3 {
            case 0:
                yaml += "  - name: r\(index)\n    tool: \(tool)\n    when:\n      args.uri: {not_starts_with: \"s3://approved/\"}\n    action: deny\n"
            case 1:
                yaml += "  - name: r\(index)\n    tool: [\(tool), \"\(tool)_v*\"]\n    when:\n      args.amount: {gt: \(index)}\n    action: deny\n"
            default:
                yaml += "  - name: r\(index)\n    tool: \(tool)\n    agent: [\"bot-*\"]\n    action: allow\n"
            }
        }
        return yaml
    }

    static func run(rules count: Int, iterations: Int = 200_000) -> Statistics {
        let policy: Policy
        do {
            policy = try PolicyLoader.load(yaml: makePolicy(rules: count), fileName: "bench.yaml")
        } catch {
            fatalError("benchmark policy failed to load: \(error)")
        }
        let compiled = CompiledPolicy(policy)
        let calls: [ToolCall] = (0..<64).map { index in
            ToolCall(
                tool: "tool_\((index * 37) % max(1, count / 2))",
                arguments: ["uri": .string(index % 2 == 0 ? "s3://approved/x" : "s3://other/x"), "amount": .number(JSONNumber(index))],
                agentID: "bot-\(index)",
                agentGroups: [],
                sessionID: "s",
                clientName: "bench",
                server: "bench",
                category: nil,
                time: Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
            )
        }
        var samples: [Double] = []
        let batch = 100
        var sink = 0
        for round in 0..<(iterations / batch) {
            let start = monotonicNanoseconds()
            for offset in 0..<batch {
                let decision = compiled.decide(calls[(round + offset) & 63])
                sink &+= decision.matchedRules.count
            }
            samples.append(Double(monotonicNanoseconds() - start) / Double(batch))
        }
        if sink == -1 { print(sink) }
        return Statistics(samples)
    }
}
