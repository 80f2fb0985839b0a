import ArgumentParser
import WardenGateway

/// `warden keys new`: an API key for an agent and the hash that goes into the gateway config.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make API keys for agents of the gateway.",
        subcommands: [NewKey.self]
    )

    struct NewKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Print a new API key and its SHA-256 for `key_sha256` in the gateway config."
        )

        @Option(name: .long, help: "The agent id, to print a ready `agents:` entry.")
        var agent: String?

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() async throws {
            let key = AgentAuthenticator.newKey()
            let hash = AgentAuthenticator.hash(key: key)
            if json {
                print(#"{"key":"\#(key)","key_sha256":"\#(hash)"\#(agent.map { #","id":"\#($0)""# } ?? "")}"#)
                return
            }
            print("key:        \(key)")
            print("key_sha256: \(hash)")
            print("")
            print("Give the key to the agent (Authorization: Bearer <key>); put only the hash in the config:")
            print("agents:")
            print("  - id: \(agent ?? "my-agent")")
            print("    key_sha256: \"\(hash)\"")
        }
    }
}
