import NIOHTTP1

/// What each observability path answers, apart from any connection: the handler only frames it.
struct ObservabilityRoutes: Sendable {
    /// One answer: a status, a content type and a body.
    struct Response {
        var status: HTTPResponseStatus
        var contentType = "text/plain; charset=utf-8"
        var body: [UInt8]
        var extraHeaders: [(String, String)] = []
    }

    let metrics: WardenMetrics
    let isReady: @Sendable () -> Bool

    func respond(method: HTTPMethod, uri: String) -> Response {
        guard method == .GET || method == .HEAD else {
            return Response(status: .methodNotAllowed, body: Array("method not allowed; use GET\n".utf8), extraHeaders: [("Allow", "GET, HEAD")])
        }
        switch Self.path(of: uri) {
        case "/metrics":
            return Response(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.expositionBytes())
        case "/healthz":
            return Response(status: .ok, body: Array("ok\n".utf8))
        case "/readyz":
            guard isReady() else { return Response(status: .serviceUnavailable, body: Array("not ready\n".utf8)) }
            return Response(status: .ok, body: Array("ready\n".utf8))
        default:
            return Response(status: .notFound, body: Array("not found; try /metrics, /healthz or /readyz\n".utf8))
        }
    }

    /// The path of a request target, without its query.
    static func path(of uri: String) -> Substring {
        uri.prefix { $0 != "?" && $0 != "#" }
    }
}
