import ArgumentParser
import WardenDemoServer

/// `warden demo-server`: the example MCP server that `warden demo` and the tests put behind Warden.
struct DemoServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-server",
        abstract: "Run the example MCP server over stdio (records, exports, charges)."
    )

    @Option(name: .customLong("page-size"), help: "Tools per tools/list page (default: all on one page).")
    var pageSize: Int?

    @Flag(name: .customLong("log-calls"), help: "Write a line to stderr for every tools/call the server receives.")
    var logCalls = false

    func run() throws {
        var options = DemoServerOptions()
        options.pageSize = pageSize
        options.logCalls = logCalls
        let status = DemoServer.run(options: options)
        if status != 0 { throw ExitCode(status) }
    }
}
