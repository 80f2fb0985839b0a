import Foundation
import Hummingbird
public import Logging
import NIOCore
public import ServiceLifecycle
public import WardenStore

/// The approval console on its own port, for `warden run --console PORT`: 127.0.0.1 only. A `Service`: it stops on
/// its group's graceful shutdown.
public final class ConsoleServer: Service {
    private let requestedPort: Int
    private let desk: ApprovalDesk
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// A console for `store` on 127.0.0.1:`port`, with the held tool definitions of `pins` when given; nothing
    /// listens until ``run()``. `onListening` gets the bound port.
    public init(
        port: Int,
        store: any ApprovalStore,
        pins: PinDesk? = nil,
        tokenSHA256: String,
        user: String,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.requestedPort = port
        self.desk = ApprovalDesk(store: store, consoleTokenSHA256: tokenSHA256, consoleUser: user, adminTokenSHA256: nil, pins: pins)
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
            onServerRunning: { [requestedPort, onListening] channel in await onListening(channel.localAddress?.port ?? requestedPort) },
            logger: logger
        )
        try await app.run()
    }

    /// The lowercase hex SHA-256 of a console token, as ``init(port:store:pins:tokenSHA256:user:logger:onListening:)`` takes it.
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
