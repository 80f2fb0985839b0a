import ArgumentParser
import Foundation
import Logging
import NIOPosix
import WardenMCP
import WardenPolicy

/// `warden scan`: lists a server's tools and says, for each, what it does, how much harm one call could do, and why.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "List an MCP server's tools with a category, a severity and the evidence for each.",
        discussion: """
            Give the server as a command after `--` (run over stdio), as --upstream URL (Streamable HTTP), or as \
            --config gateway.yaml (every server of a gateway config, or --server NAME). The scan asks only for the \
            tool list; it calls no tool. The table puts the riskiest tools first; --json prints one object per tool \
            in the server's order.
            """
    )

    @Option(name: .long, help: "A remote Streamable HTTP server to scan, instead of a command after `--`.")
    var upstream: String?

    @Option(name: .long, help: "A header for the remote server, `Name: value` (repeatable); ${VAR} reads the environment.")
    var header: [String] = []

    @Option(name: .long, help: "A gateway config (YAML): scan its servers.")
    var config: String?

    @Option(name: .long, help: "With --config: scan only this server.")
    var server: String?

    @Flag(name: .long, help: "Print JSON: an array of {name, category, severity, evidence, description} objects.")
    var json = false

    @Flag(name: .long, help: "Show every piece of evidence and the description in the table.")
    var verbose = false

    @Option(name: .long, help: "Colour severities: auto (when stdout is a terminal and NO_COLOR is unset), always or never.")
    var color: String = "auto"

    @Option(name: .long, help: "Seconds the server may take to answer each request.")
    var timeout: Double = 30

    @Option(name: .long, help: "Speak only this MCP revision (e.g. 2026-07-28 for the stateless way); default: try the handshake, then that.")
    var revision: String?

    @Option(name: .long, help: "A policy whose `categories:` override the classifier (with --config, each server's own policy does).")
    var policy: String?

    @Option(name: .customLong("policy-out"), help: "Write a starter policy for the scanned server to this file.")
    var policyOut: String?

    @Option(name: .customLong("default"), help: "The starter policy's default for tools the scan did not see: allow or deny.")
    var defaultAction: String = "allow"

    @Argument(parsing: .postTerminator, help: "The MCP server's command and arguments, after `--`.")
    var command: [String] = []

    func validate() throws {
        let targets = [!command.isEmpty, upstream != nil, config != nil].filter { $0 }.count
        guard targets == 1 else {
            throw ValidationError("give one server: a command after `--`, --upstream URL, or --config gateway.yaml")
        }
        if let upstream {
            guard let url = URL(string: upstream), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("--upstream must be an http or https URL")
            }
        }
        guard header.isEmpty || upstream != nil else { throw ValidationError("--header goes with --upstream") }
        for line in header where !line.contains(":") {
            throw ValidationError("--header takes `Name: value`, got `\(line)`")
        }
        guard server == nil || config != nil else { throw ValidationError("--server goes with --config") }
        guard ["auto", "always", "never"].contains(color) else { throw ValidationError("--color must be auto, always or never") }
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be a number of seconds above 0") }
        if let revision, !ProtocolRevision.known.contains(ProtocolRevision(revision)) {
            let known = ProtocolRevision.known.map(\.raw).joined(separator: ", ")
            throw ValidationError("--revision must be one of \(known)")
        }
        guard Action(name: defaultAction) == .allow || Action(name: defaultAction) == .deny else {
            throw ValidationError("--default must be allow or deny")
        }
        guard policyOut != nil || defaultAction == "allow" else { throw ValidationError("--default goes with --policy-out") }
    }

    func run() async throws {
        let targets = try loadTargets()
        if policyOut != nil, targets.count > 1 {
            printError("warden scan: --policy-out writes one server's policy; choose it with --server NAME")
            throw ExitCode(64)
        }
        let scanner = Scanner(
            timeout: .milliseconds(Int64(timeout * 1000)),
            revision: revision.map(ProtocolRevision.init),
            logger: LogSetup.makeStandardErrorLogger(label: "warden.scan", level: .error)
        )
        var scanned: [ScannedServer] = []
        var failed = false
        for target in targets {
            do {
                let tools = try await scanner.listTools(target, group: MultiThreadedEventLoopGroup.singleton)
                scanned.append(ScannedServer(name: target.name, definitions: tools, policy: target.policy))
            } catch {
                printError("warden scan: \(target.name.map { "\($0): " } ?? "")\(error.message)")
                failed = true
            }
        }
        let byConfig = config != nil
        if json {
            print(ScanJSON.render(scanned, includesServer: byConfig), terminator: "")
        } else if !scanned.isEmpty {
            let table = ScanTable(isColored: isColored, isVerbose: verbose)
            print(table.render(scanned, showsHeadings: byConfig), terminator: "")
        }
        if policyOut != nil, let only = scanned.first, !failed {
            do {
                try writeStarterPolicy(only)
            } catch {
                printError("warden scan: \(error.message)")
                throw ExitCode(1)
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// Writes `--policy-out` for the one server scanned, with `--default` for the tools it did not list.
    private func writeStarterPolicy(_ server: ScannedServer) throws(ScanError) {
        guard let policyOut else { return }
        let text = StarterPolicy.write(
            assessments: server.assessments,
            definitions: server.definitions,
            default: Action(name: defaultAction) ?? .allow,
            server: server.name ?? defaultServerName
        )
        do {
            try text.write(toFile: policyOut, atomically: true, encoding: .utf8)
        } catch {
            throw ScanError(.notWritten, "cannot write the starter policy to \(policyOut): \(error.localizedDescription)")
        }
        printError("warden scan: wrote a starter policy for \(server.assessments.count) tools to \(policyOut); try `warden test \(policyOut)`")
    }

    /// The remote server's host, or the command's name: what the starter policy says it is for.
    private var defaultServerName: String? {
        if let upstream { return URL(string: upstream)?.host }
        return command.first.map { URL(fileURLWithPath: $0).lastPathComponent }
    }

    /// Whether severities get colour: `always`, or `auto` on a terminal when NO_COLOR is unset (no-color.org).
    private var isColored: Bool {
        switch color {
        case "always": return true
        case "never": return false
        default:
            let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            return !noColor && isatty(STDOUT_FILENO) == 1
        }
    }
}
