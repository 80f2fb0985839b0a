import Foundation
import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle
public import WardenStore

/// The approval console on its own port, for `warden run --console PORT`: 127.0.0.1 only.
public final class ConsoleServer: Sendable {
    private let task: Task<Void, any Error>
    /// The port it listens on (useful with 0).
    public let port: Int

    private init(task: Task<Void, any Error>, port: Int) {
        self.task = task
        self.port = port
    }

    /// Starts serving; returns once the port is bound.
    public static func start(port: Int, store: any ApprovalStore, tokenSHA256: String, user: String, logger: Logger) async throws -> ConsoleServer {
        let desk = ApprovalDesk(store: store, consoleTokenSHA256: tokenSHA256, consoleUser: user, adminTokenSHA256: nil)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            if let response = await desk.respond(to: request) { return response }
            var response = Response(status: .seeOther)
            response.headers[.location] = "/console"
            return response
        }
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: "warden-console"),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? port) },
            logger: logger
        )
        // No signal handling here: `warden run` forwards signals to its server, and ends the console itself.
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = bound.makeAsyncIterator()
        guard let actual = await iterator.next() else {
            let error = await task.result
            throw ConsoleError(message: "the console could not listen on 127.0.0.1:\(port): \((try? error.get()).map { "stopped" } ?? "\(error)")")
        }
        return ConsoleServer(task: task, port: actual)
    }

    public func shutdown() async {
        task.cancel()
        _ = await task.result
    }

    /// The lowercase hex SHA-256 of a console token, as `start(port:store:tokenSHA256:user:logger:)` takes it.
    public static func tokenSHA256(of token: String) -> String {
        ApprovalDesk.sha256(token)
    }

    /// A new console token and its hash.
    public static func makeToken() -> (token: String, sha256: String) {
        let token = ApprovalDesk.randomToken()
        return (token, ApprovalDesk.sha256(token))
    }
}

public struct ConsoleError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
