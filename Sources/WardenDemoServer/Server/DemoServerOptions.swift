/// How the demo server behaves; every field has a default, so `warden demo-server` needs no flags.
public struct DemoServerOptions: Sendable, Hashable {
    /// Tools per `tools/list` page; `nil` puts every tool on one page.
    ///
    /// A small page makes a client follow `nextCursor`, so tests can check that hiding works across pages.
    public var pageSize: Int?

    /// Whether to write `demo-server: called <tool>` to stderr for every `tools/call` that arrives.
    ///
    /// Tests read these lines to prove that a call Warden denied never reached the server.
    public var logCalls: Bool

    public init(pageSize: Int? = nil, logCalls: Bool = false) {
        self.pageSize = pageSize
        self.logCalls = logCalls
    }
}
