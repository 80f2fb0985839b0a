import Foundation
import WardenPolicy

/// A server to scan: a command run as a child over stdio, or a remote Streamable HTTP endpoint.
struct ScanTarget: Sendable {
    enum Transport: Sendable {
        case command([String], environment: [String: String])
        case remote(URL, headers: [(String, String)])
    }

    /// The server's name in a gateway config; nil for a target given on the command line.
    var name: String?
    var transport: Transport
    /// The policy whose `categories:` override the classifier's guesses, if any.
    var policy: Policy?

    init(name: String? = nil, transport: Transport, policy: Policy? = nil) {
        self.name = name
        self.transport = transport
        self.policy = policy
    }
}
