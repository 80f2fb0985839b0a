import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import WardenMCP
import WardenPolicy
import WardenProxy

/// Connects to one server, lists its tools and lets it go: a child is always stopped, a remote session closed.
struct Scanner: Sendable {
    /// The largest message a scan reads; tool lists with long schemas can be large.
    static let maxMessageSize = 64 * 1024 * 1024

    /// How long every answer may take.
    var timeout: Duration = .seconds(30)
    /// A revision to speak and no other (see `ScanClient.revision`).
    var revision: ProtocolRevision?
    var maxPages = ScanClient.defaultMaxPages
    var logger: Logger

    /// Every tool `target` lists, in its order.
    func listTools(_ target: ScanTarget, group: any EventLoopGroup) async throws(ScanError) -> [ToolDefinition] {
        let loop = group.next()
        let connection = ScanConnection(loop: loop, timeout: timeout)
        let client = ScanClient(connection: connection, revision: revision, maxPages: maxPages)
        switch target.transport {
        case .command(let command, let environment):
            return try await listTools(command: command, environment: environment, client: client, loop: loop)
        case .remote(let url, let headers):
            return try await listTools(url: url, headers: headers, client: client, group: group, loop: loop)
        }
    }

    private func listTools(
        command: [String],
        environment: [String: String],
        client: ScanClient,
        loop: any EventLoop
    ) async throws(ScanError) -> [ToolDefinition] {
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(command, environment: environment)
        } catch {
            throw ScanError(.notStarted, error.message)
        }
        let link: StdioUpstream
        do {
            link = try await StdioUpstream.connect(
                child: child,
                loop: loop,
                maxMessageSize: Self.maxMessageSize,
                shutdownGrace: .seconds(2),
                drainGrace: .milliseconds(500),
                events: client.connection,
                logger: logger
            )
        } catch {
            throw ScanError(.notStarted, "cannot connect to `\(command.first ?? "")`'s pipes: \(error)")
        }
        client.connection.attach(link)
        let listed: Result<[ToolDefinition], ScanError>
        do {
            listed = .success(try await client.listTools())
        } catch {
            listed = .failure(error)
        }
        // Its stdin closes; SIGTERM, then SIGKILL, follow if it lingers, so this wait is bounded.
        try? await loop.submit { link.finish() }.get()
        let status = await link.ended()
        if case .failure(var error) = listed, error.code == .closed {
            error.message += status == 0 ? "" : " (exit status \(status))"
            throw error
        }
        return try listed.get()
    }

    private func listTools(
        url: URL,
        headers: [(String, String)],
        client: ScanClient,
        group: any EventLoopGroup,
        loop: any EventLoop
    ) async throws(ScanError) -> [ToolDefinition] {
        let http = Self.makeHTTPClient(group: group, timeout: timeout)
        let link = HTTPUpstream(
            url: url,
            headers: headers,
            client: http,
            loop: loop,
            events: client.connection,
            maxMessageSize: Self.maxMessageSize,
            requestTimeout: timeout,
            drainTimeout: .milliseconds(500),
            logger: logger
        )
        client.connection.attach(link)
        let listed: Result<[ToolDefinition], ScanError>
        do {
            listed = .success(try await client.listTools())
        } catch {
            listed = .failure(error)
        }
        // Ends the remote session (a DELETE the server may refuse) and the stream it may have opened.
        try? await loop.submit { link.close() }.get()
        try? await http.shutdown()
        return try listed.get()
    }

    /// A client like the proxy's (no redirects, so credentials stay with their host) that tries to connect once: a
    /// refused connection is an answer for a scan, not a glitch to ride out.
    private static func makeHTTPClient(group: any EventLoopGroup, timeout: Duration) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .milliseconds(Int64(min(timeout / .milliseconds(1), 10_000).rounded(.up)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .shared(group), configuration: configuration)
    }
}
