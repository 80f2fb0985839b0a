import Crypto
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
    /// SHA-256 (lowercase hex) of the bearer token `/metrics` asks for; nil asks for none.
    var metricsTokenSHA256: String? = nil

    func respond(method: HTTPMethod, uri: String, authorization: String? = nil) -> Response {
        guard method == .GET || method == .HEAD else {
            return Response(status: .methodNotAllowed, body: Array("method not allowed; use GET\n".utf8), extraHeaders: [("Allow", "GET, HEAD")])
        }
        switch Self.path(of: uri) {
        case "/metrics":
            if let metricsTokenSHA256, !Self.bearer(authorization, hashesTo: metricsTokenSHA256) {
                let body = Array("unauthorized: /metrics needs `Authorization: Bearer <token>`\n".utf8)
                return Response(status: .unauthorized, body: body, extraHeaders: [("WWW-Authenticate", #"Bearer realm="warden-metrics""#)])
            }
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

    /// Whether `header` is `Bearer <token>` for a token whose SHA-256 is `expected`, compared in constant time.
    static func bearer(_ header: String?, hashesTo expected: String) -> Bool {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return false }
        let token = header.dropFirst(7).trimmingPrefix(while: { $0 == " " })
        let digest = SHA256.hash(data: Array(token.utf8)).map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
        }.joined()
        let given = Array(digest)
        let wanted = Array(expected.lowercased().utf8)
        guard given.count == wanted.count else { return false }
        return zip(given, wanted).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The path of a request target, without its query.
    static func path(of uri: String) -> Substring {
        uri.prefix { $0 != "?" && $0 != "#" }
    }
}
