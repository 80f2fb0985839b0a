public import Foundation
public import WardenPolicy

/// What `warden run` runs besides the shared runtime: one stdio session in front of one upstream, and the ports it
/// may serve beside it. Built by the command from its flags.
public struct StdioConfiguration: Sendable {
    /// The server behind the session: a command to start, or a remote Streamable HTTP server and its headers.
    public struct UpstreamChoice: Sendable {
        enum Base: Sendable {
            case command([String])
            case remote(URL, headers: [(String, String)])
        }

        let base: Base

        /// A local server started with these arguments (the first is the program).
        public static func command(_ arguments: [String]) -> UpstreamChoice { UpstreamChoice(base: .command(arguments)) }

        /// A remote server; `headers` (its credentials) go with every request.
        public static func remote(_ url: URL, headers: [(String, String)]) -> UpstreamChoice {
            UpstreamChoice(base: .remote(url, headers: headers))
        }
    }

    /// The approval console on 127.0.0.1.
    public struct Console: Sendable {
        public var port: Int
        /// The token the console's URL carries; only its hash is kept by the server.
        public var token: String
        /// Who the console's decisions are recorded as.
        public var user: String

        public init(port: Int, token: String, user: String) {
            self.port = port
            self.token = token
            self.user = user
        }
    }

    /// `/metrics`, `/healthz` and `/readyz` on 127.0.0.1.
    public struct Metrics: Sendable {
        public var port: Int
        /// The SHA-256 (hex) of the bearer token `/metrics` requires, if any.
        public var tokenSHA256: String?

        public init(port: Int, tokenSHA256: String?) {
            self.port = port
            self.tokenSHA256 = tokenSHA256
        }
    }

    public var policy: Policy
    /// The file the policy was read from, watched for edits.
    public var policyPath: String
    public var identity: SessionIdentity
    public var upstream: UpstreamChoice
    public var proxy = StdioProxyConfiguration()
    /// How long the server may take to answer a `tools/call`; nil: no limit.
    public var callTimeout: Duration?
    public var metrics: Metrics?
    public var console: Console?

    public init(policy: Policy, policyPath: String, identity: SessionIdentity, upstream: UpstreamChoice) {
        self.policy = policy
        self.policyPath = policyPath
        self.identity = identity
        self.upstream = upstream
    }
}
