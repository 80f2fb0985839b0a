import HTTPTypes
import Hummingbird
import Synchronization

/// Once shutdown began, MCP requests get 503 and their connection closes: the listener is closed by then, and a
/// client on a kept-alive connection must not start new work either.
struct RefuseWhileDraining: RouterMiddleware {
    typealias Context = BasicRequestContext

    let services: SessionFactory

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        guard services.draining.load(ordering: .relaxed), request.uri.path.hasPrefix("/mcp") else { return try await next(request, context) }
        let text = "Service Unavailable: the gateway is shutting down; retry on another replica or after it restarts"
        var response = MCPEndpoint.plain(.serviceUnavailable, text)
        response.headers[.connection] = "close"
        response.headers[.retryAfter] = "5"
        return response
    }
}
