import ArgumentParser
import WardenJSON
import WardenPolicy
import WardenProxy

/// `warden explain`: shows the decision for one call and, rule by rule, why each rule matched or not.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the decision for a tool call and why each rule matched or not."
    )

    @Option(name: .long, help: "The policy file.")
    var policy: String

    @Option(name: .long, help: "The tool's name.")
    var tool: String

    @Option(name: .long, help: "The call's arguments as a JSON object.")
    var args: String = "{}"

    @Option(name: .long, help: "The calling agent's id.")
    var agent: String?

    @Option(name: .customLong("agent-group"), help: "A group of the agent; repeat for several.")
    var agentGroups: [String] = []

    @Option(name: .long, help: "The client's name (client.name).")
    var client: String?

    @Option(name: .long, help: "The server's name (server).")
    var server: String?

    @Flag(name: .long, help: "Print the explanation as JSON.")
    var json = false

    func run() throws {
        let loaded: Policy
        do {
            loaded = try PolicyFile.load(policy)
        } catch {
            print(error.description)
            throw ExitCode(1)
        }
        let arguments: JSONValue
        do {
            arguments = try JSONParser.parse(args)
        } catch {
            throw ValidationError("--args is not valid JSON: \(error)")
        }
        guard case .object = arguments else { throw ValidationError("--args must be a JSON object, like '{\"id\": 7}'") }
        let call = ToolCall(
            tool: tool,
            arguments: arguments,
            agentID: agent,
            agentGroups: agentGroups,
            sessionID: nil,
            clientName: client,
            server: server,
            category: loaded.categories[tool] ?? ToolClassifier.classify(name: tool, description: nil),
            time: Timestamp.now()
        )
        let explanation = CompiledPolicy(loaded).explain(call)
        print(json ? explanation.jsonValue.encodedString : explanation.description)
    }
}
