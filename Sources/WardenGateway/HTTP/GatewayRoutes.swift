import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import WardenProxy
import WardenStore

/// The gateway's routes: MCP at `/mcp/:server`, the aggregate at `/mcp`, the console and admin API, health and
/// metrics. A path no route takes, or a method a route does not answer, gets a plain 404.
extension Gateway {
    /// Every method a route answers itself, so that it can say 405 (or ignore the method) as it always has.
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]

    /// The router over this gateway's sessions; `aggregates` holds the sessions of `/mcp`.
    func makeRouter(aggregates: AggregateRegistry) -> Router<BasicRequestContext> {
        let endpoint = MCPEndpoint(services: services)
        let aggregate = config.aggregate.map { names in
            AggregateEndpoint(endpoint: endpoint, servers: names.compactMap { config.server(named: $0) }, registry: aggregates)
        }
        return Self.makeRouter(endpoint: endpoint, aggregate: aggregate, desk: desk)
    }

    static func makeRouter(endpoint: MCPEndpoint, aggregate: AggregateEndpoint?, desk: ApprovalDesk?) -> Router<BasicRequestContext> {
        let services = endpoint.services
        let router = Router()
        router.add(middleware: PlainNotFound())
        router.add(middleware: RefuseWhileDraining(services: services))

        let health = router.group()
        health.onEvery("/healthz") { _, _ in MCPEndpoint.plain(.ok, "ok") }
        health.onEvery("/readyz") { _, _ in readiness(services: services) }
        health.onEvery("/metrics") { request, _ in metrics(request, services: services) }

        let mcp = router.group("/mcp")
        mcp.onEvery(":server") { request, context in
            let name = context.parameters.get("server") ?? ""
            guard let server = services.config.server(named: name) else {
                let served = services.config.servers.map { "/mcp/\($0.name)" }.joined(separator: ", ")
                return MCPEndpoint.plain(.notFound, "Not Found: no server named `\(name)`; this gateway serves \(served)")
            }
            return await ConnectionWatch.respond { await endpoint.respond(to: request, server: server) }
        }
        if let aggregate {
            mcp.onEvery("") { request, _ in await aggregate.respond(to: request) }
        }

        desk?.addRoutes(to: router)
        return router
    }

    /// `/metrics`: 404 unless enabled, 401 without the token when one is configured.
    static func metrics(_ request: Request, services: SessionFactory) -> Response {
        guard services.config.metrics, let metrics = services.metrics else { return MCPEndpoint.plain(.notFound, "Not Found") }
        if let expected = services.config.metricsTokenSHA256, !ApprovalDesk.bearerMatches(request.headers[.authorization], sha256: expected) {
            var response = MCPEndpoint.plain(
                .unauthorized,
                "Unauthorized: /metrics needs `Authorization: Bearer <token>`, the token whose SHA-256 is `metrics.token_sha256`"
            )
            response.headers[.wwwAuthenticate] = "Bearer realm=\"warden-metrics\""
            return response
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        let text = metrics.exposition() + services.health.exposition(servers: services.config.servers.map(\.name))
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `/readyz`: 503 once shutdown began or while a PostgreSQL store cannot be reached; otherwise 200 `ready`, then a line for each server whose upstream is
    /// failing and backing off (the gateway still serves its other servers, and that one once it is back).
    static func readiness(services: SessionFactory) -> Response {
        if services.draining.load(ordering: .relaxed) { return MCPEndpoint.plain(.serviceUnavailable, "not ready: shutting down") }
        // A shared store (PostgreSQL) that cannot be reached: calls that need it would fail closed, so send no one here.
        if let store = services.config.store, let dsn = try? StoreDSN(parsing: store), let problem = dsn.unavailability() {
            return MCPEndpoint.plain(.serviceUnavailable, "not ready: the store is unavailable: \(problem)")
        }
        return MCPEndpoint.plain(.ok, (["ready"] + services.health.readinessLines()).joined(separator: "\n"))
    }
}

extension RouterMethods {
    /// `handler` for `path` under every method of ``Gateway/methods``.
    func onEvery(_ path: RouterPath, use handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        for method in Gateway.methods { on(path, method: method, use: handler) }
    }
}

/// The gateway's 404 for a path no route takes: plain text, as every other answer of its own.
struct PlainNotFound: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return MCPEndpoint.plain(.notFound, "Not Found")
        }
    }
}
