import Crypto
import HTTPTypes
import Hummingbird
import NIOCore

/// What each observability path answers: the router of ``ObservabilityServer``.
///
/// | request | answer |
/// | --- | --- |
/// | `GET /metrics` | 200, the Prometheus text format (`text/plain; version=0.0.4`) |
/// | `GET /healthz` | 200 `ok`: the process is alive |
/// | `GET /readyz` | 200 `ready` when `isReady()` says so, else 503 `not ready` |
/// | `GET` anything else | 404 |
/// | any other method | 405, with `Allow: GET, HEAD` |
/// | a body past the limit | 413, and the connection closes |
///
/// `HEAD` is answered like `GET`, without the body.
struct ObservabilityRoutes: Sendable {
    let metrics: WardenMetrics
    let isReady: @Sendable () -> Bool
    /// SHA-256 (lowercase hex) of the bearer token `/metrics` asks for; nil asks for none.
    var metricsTokenSHA256: String? = nil
    var maxBodySize = 8 * 1024

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: Guard(maxBodySize: maxBodySize))
        router.get("/metrics") { request, _ in metricsAnswer(authorization: request.headers[.authorization]) }
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in isReady() ? Self.text(.ok, "ready\n") : Self.text(.serviceUnavailable, "not ready\n") }
        return router
    }

    private func metricsAnswer(authorization: String?) -> Response {
        if let metricsTokenSHA256, !Self.bearer(authorization, hashesTo: metricsTokenSHA256) {
            var response = Self.text(.unauthorized, "unauthorized: /metrics needs `Authorization: Bearer <token>`\n")
            response.headers[.wwwAuthenticate] = #"Bearer realm="warden-metrics""#
            return response
        }
        return Self.text(.ok, metrics.expositionBytes(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    /// Refuses other methods and bodies past the limit before routing, and answers unknown paths.
    struct Guard: RouterMiddleware {
        typealias Context = BasicRequestContext
        let maxBodySize: Int

        func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
            guard request.method == .get || request.method == .head else {
                var response = ObservabilityRoutes.text(.methodNotAllowed, "method not allowed; use GET\n")
                response.headers[.allow] = "GET, HEAD"
                return response
            }
            var request = request
            do {
                _ = try await request.collectBody(upTo: maxBodySize)
            } catch {
                var response = ObservabilityRoutes.text(.contentTooLarge, "request body too large; these endpoints take none\n")
                response.headers[.connection] = "close"
                return response
            }
            do {
                return try await next(request, context)
            } catch let error as HTTPError where error.status == .notFound {
                return ObservabilityRoutes.text(.notFound, "not found; try /metrics, /healthz or /readyz\n")
            }
        }
    }

    /// An answer with its length spelled out, so that a `HEAD` (answered without the body) still says it.
    static func text(_ status: HTTPResponse.Status, _ body: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        text(status, Array(body.utf8), contentType: contentType)
    }

    static func text(_ status: HTTPResponse.Status, _ body: [UInt8], contentType: String = "text/plain; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
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
}
