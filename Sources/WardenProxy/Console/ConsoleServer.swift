import Foundation
import Hummingbird
public import Logging
import NIOCore
public import ServiceLifecycle
import Synchronization
public import WardenStore

/// The approval console on its own port, for `warden run --console PORT`: 127.0.0.1 only. A `Service`.
///
/// Run it in a service group (it stops on the group's graceful shutdown), or start it on its own with
/// ``start(port:store:tokenSHA256:user:logger:)`` and stop it with ``shutdown()``.
public final class ConsoleServer: Service {
    private let requestedPort: Int
    private let desk: ApprovalDesk
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void
    private let boundPort = Atomic<Int>(0)
    /// Set by ``start(port:store:tokenSHA256:user:logger:)``: the group it runs in on its own.
    private let ownGroup = Mutex<StartedService?>(nil)

    /// The port it listens on: the one asked for, or once listening the one the system chose for port 0.
    public var port: Int {
        let bound = boundPort.load(ordering: .relaxed)
        return bound == 0 ? requestedPort : bound
    }

    /// A console for `store` on 127.0.0.1:`port`; nothing listens until ``run()``. `onListening` gets the bound port.
    public init(
        port: Int,
        store: any ApprovalStore,
        tokenSHA256: String,
        user: String,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.requestedPort = port
        self.desk = ApprovalDesk(store: store, consoleTokenSHA256: tokenSHA256, consoleUser: user, adminTokenSHA256: nil)
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves until the enclosing service group shuts down gracefully (or the task is cancelled).
    public func run() async throws {
        let router = Router()
        desk.addRoutes(to: router)
        // Anything else leads to the console.
        router.add(middleware: RedirectUnknownPaths())
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: requestedPort), serverName: "warden-console"),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? requestedPort
                boundPort.store(port, ordering: .relaxed)
                await onListening(port)
            },
            logger: logger
        )
        try await app.run()
    }

    /// Starts serving in a task of its own; returns once the port is bound.
    public static func start(port: Int, store: any ApprovalStore, tokenSHA256: String, user: String, logger: Logger) async throws -> ConsoleServer {
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = ConsoleServer(port: port, store: store, tokenSHA256: tokenSHA256, user: user, logger: logger) { port in
            continuation.yield(port)
        }
        let started = StartedService(server, logger: logger) { continuation.finish() }
        server.ownGroup.withLock { $0 = started }
        var iterator = bound.makeAsyncIterator()
        guard await iterator.next() != nil else {
            throw ConsoleError(message: "the console could not listen on 127.0.0.1:\(port): \(await started.failure() ?? "stopped")")
        }
        return server
    }

    /// Stops a console begun with ``start(port:store:tokenSHA256:user:logger:)``; calling it again does nothing.
    public func shutdown() async {
        guard let started = ownGroup.withLock({ group in defer { group = nil }; return group }) else { return }
        await started.stop()
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

/// Sends a path the console does not serve to `/console`.
struct RedirectUnknownPaths: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            var response = Response(status: .seeOther)
            response.headers[.location] = "/console"
            return response
        }
    }
}

public struct ConsoleError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
