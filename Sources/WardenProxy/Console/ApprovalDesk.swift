import Crypto
import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
import Synchronization
import WardenJSON
import WardenPolicy
public import WardenStore

/// Where people see and decide held calls over HTTP: the admin API (a bearer token) and the console (a token that
/// opens a cookie session, with CSRF protection on every action). Both change the store with the same
/// compare-and-set as `warden approvals`; the proxy holding the call sees the change on its next poll.
public final class ApprovalDesk: Sendable {
    let store: any ApprovalStore
    /// SHA-256 (hex) of the console token; nil: no console.
    let consoleTokenSHA256: String?
    /// Who the console's decisions are recorded as (and checked against a rule's `approvers`).
    let consoleUser: String
    /// SHA-256 (hex) of the admin API token; nil: no admin API.
    let adminTokenSHA256: String?
    /// The routes that review held tool definitions, behind the same credentials; nil: none.
    let pins: PinDesk?
    private let logins = Mutex<[String: ConsoleLogin]>([:])
    static let cookieName = "warden_console"
    static let loginLifetime: Duration = .seconds(12 * 3600)

    struct ConsoleLogin {
        var csrf: String
        var expires: ContinuousClock.Instant
    }

    public init(
        store: any ApprovalStore,
        consoleTokenSHA256: String?,
        consoleUser: String = "console",
        adminTokenSHA256: String?,
        pins: PinDesk? = nil
    ) {
        self.store = store
        self.consoleTokenSHA256 = consoleTokenSHA256
        self.consoleUser = consoleUser
        self.adminTokenSHA256 = adminTokenSHA256
        self.pins = pins
    }

    /// Every method a desk route answers itself, so a method it does not take gets the desk's own refusal.
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]

    /// Adds `/console…` (when a console token is set) and `/admin/…` (when an admin token is set) to `router`; a
    /// part that is off answers 404 saying so.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        if consoleTokenSHA256 == nil {
            let off: Handler = { _, _ in Self.text(.notFound, "Not Found: the console is not enabled") }
            for path: RouterPath in ["/console", "/console/**"] { Self.on(router, path, fallback: off) }
        } else {
            addConsoleRoutes(to: router)
        }
        if adminTokenSHA256 == nil {
            Self.on(router, "/admin/**", fallback: { _, _ in Self.text(.notFound, "Not Found: the admin API is not enabled") })
        } else {
            addAdminRoutes(to: router)
        }
    }

    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    /// `handlers` for `path`, and `fallback` for every other method of ``methods``.
    static func on(_ router: Router<BasicRequestContext>, _ path: RouterPath, _ handlers: [HTTPRequest.Method: Handler] = [:], fallback: @escaping Handler) {
        for method in methods { router.on(path, method: method, use: handlers[method] ?? fallback) }
    }

    // MARK: - Admin API

    private func addAdminRoutes(to router: Router<BasicRequestContext>) {
        Self.on(router, "/admin/approvals", [.get: { request, _ in
            self.adminAuthorized(request) { self.list(all: request.uri.queryParameters["state"].map { $0 == "all" } ?? false) }
        }], fallback: adminUnknown)
        Self.on(router, "/admin/approvals/:id", [.get: { request, context in
            self.adminAuthorized(request) {
                let id = context.parameters.get("id") ?? ""
                guard let record = try? self.store.get(id: id) else { return Self.json(.notFound, ["error": .string("no approval \(id)")]) }
                return Self.json(.ok, record.jsonValue)
            }
        }], fallback: adminUnknown)
        Self.on(router, "/admin/approvals/:id/:action", [.post: { request, context in
            let action = context.parameters.get("action") ?? ""
            guard self.isAdmin(request), action == "approve" || action == "deny" else { return try await self.adminUnknown(request, context) }
            var request = request
            let body = (try? await request.collectBody(upTo: 64 * 1024)).flatMap { buffer in buffer.withUnsafeReadableBytes { try? JSONParser.parse($0) } }
            let by = body?["by"]?.stringValue ?? "admin"
            return self.decide(id: context.parameters.get("id") ?? "", approve: action == "approve", by: by, reason: body?["reason"]?.stringValue)
        }], fallback: adminUnknown)
        pins?.addAdminRoutes(to: router, desk: self)
        Self.on(router, "/admin/**", fallback: adminUnknown)
    }

    func isAdmin(_ request: Request) -> Bool {
        adminTokenSHA256.map { Self.bearerMatches(request.headers[.authorization], sha256: $0) } ?? false
    }

    /// `answer()` for a request with the admin token, 401 for any other.
    func adminAuthorized(_ request: Request, _ answer: () -> Response) -> Response {
        guard isAdmin(request) else {
            var response = Self.json(.unauthorized, ["error": "the admin API needs `Authorization: Bearer <admin token>`"])
            response.headers[.wwwAuthenticate] = "Bearer realm=\"warden-admin\""
            return response
        }
        return answer()
    }

    /// An admin path or method the API does not have: 404 outside `/admin/approvals`, 405 inside it.
    private func adminUnknown(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        adminAuthorized(request) {
            let parts = request.uri.path.split(separator: "/")
            guard parts.count >= 2, parts[1] == "approvals" else { return Self.json(.notFound, ["error": "unknown admin path"]) }
            return Self.json(.methodNotAllowed, ["error": "use GET /admin/approvals[/ID] or POST /admin/approvals/ID/approve|deny"])
        }
    }

    private func list(all: Bool) -> Response {
        do {
            let records = try store.list(states: all ? nil : [.pending], limit: 500)
            let now = Timestamp.now()
            // A pending record past its expiry is, for a person, already gone.
            let shown = records.filter { all || $0.expiresAt > now }
            return Self.json(.ok, ["approvals": .array(shown.map(\.jsonValue)), "nowMs": .number(JSONNumber(Int(now.millisecondsSinceEpoch)))])
        } catch {
            return Self.json(.serviceUnavailable, ["error": .string("the approval store cannot be read: \(error)")])
        }
    }

    private func decide(id: String, approve: Bool, by: String, reason: String?) -> Response {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if !approve, reason?.isEmpty ?? true {
            return Self.json(.badRequest, ["error": "a denial needs a reason: the agent reads it"])
        }
        do {
            switch try ApprovalDecision.apply(id: id, state: approve ? .approved : .denied, by: by, reason: reason, in: store, at: Timestamp.now()) {
            case .applied(let record):
                return Self.json(.ok, ["approval": record.jsonValue])
            case .notFound:
                return Self.json(.notFound, ["error": .string("no approval \(id)")])
            case .alreadyResolved(let record):
                return Self.json(.conflict, ["error": .string("already \(ApprovalDecision.describe(record))"), "approval": record.jsonValue])
            case .notAnApprover(let record):
                let names = record.approvers.joined(separator: ", ")
                return Self.json(.forbidden, ["error": .string("\(by) is not an approver of this call; the rule names \(names)")])
            }
        } catch {
            return Self.json(.serviceUnavailable, ["error": .string("the approval store cannot be written: \(error)")])
        }
    }

    // MARK: - Console

    private func addConsoleRoutes(to router: Router<BasicRequestContext>) {
        let unknown: Handler = { request, _ in
            // The JSON API behind the page needs the cookie session before it says anything.
            guard self.session(request) != nil else { return Self.json(.unauthorized, ["error": "log in to the console first"]) }
            return Self.json(.notFound, ["error": "unknown console path"])
        }
        Self.on(router, "/console", [.get: { request, _ in
            if let token = request.uri.queryParameters["token"] { return self.login(token: String(token)) }
            guard let login = self.session(request) else { return Self.page(ConsoleAssets.loginPage(message: nil)) }
            return Self.page(ConsoleAssets.consolePage(csrf: login.csrf, user: self.consoleUser, showsPins: self.pins != nil))
        }], fallback: unknown)
        Self.on(router, "/console/app.js", [.get: { _, _ in Self.asset(ConsoleAssets.pageScript, type: "text/javascript; charset=utf-8") }], fallback: unknown)
        Self.on(router, "/console/app.css", [.get: { _, _ in Self.asset(ConsoleAssets.pageStyle, type: "text/css; charset=utf-8") }], fallback: unknown)
        Self.on(router, "/console/login", [.post: { request, _ in
            var request = request
            let form = (try? await request.collectBody(upTo: 16 * 1024)).map { String(buffer: $0) } ?? ""
            return self.login(token: Self.formValue("token", in: form))
        }], fallback: unknown)
        Self.on(router, "/console/logout", [.post: { request, _ in
            if let id = Self.cookie(Self.cookieName, in: request) { self.logins.withLock { $0[id] = nil } }
            var response = Response(status: .seeOther)
            response.headers[.location] = "/console"
            response.headers[.setCookie] = "\(Self.cookieName)=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"
            return response
        }], fallback: unknown)
        Self.on(router, "/console/api/approvals", [.get: { request, context in
            guard self.session(request) != nil else { return try await unknown(request, context) }
            return self.list(all: false)
        }], fallback: unknown)
        Self.on(router, "/console/api/approvals/:id/:action", [.post: { request, context in
            let action = context.parameters.get("action") ?? ""
            guard let login = self.session(request), action == "approve" || action == "deny" else { return try await unknown(request, context) }
            return await self.consoleDecision(request, login: login, id: context.parameters.get("id") ?? "", approve: action == "approve")
        }], fallback: unknown)
        pins?.addConsoleRoutes(to: router, desk: self, unknown: unknown)
        Self.on(router, "/console/**", fallback: unknown)
    }

    /// An action from the page: the CSRF token and a same origin, then the decision.
    private func consoleDecision(_ request: Request, login: ConsoleLogin, id: String, approve: Bool) async -> Response {
        if let refusal = consoleRefusal(request, login: login) { return refusal }
        var request = request
        let body = (try? await request.collectBody(upTo: 64 * 1024)).flatMap { buffer in buffer.withUnsafeReadableBytes { try? JSONParser.parse($0) } }
        return decide(id: id, approve: approve, by: consoleUser, reason: body?["reason"]?.stringValue)
    }

    /// The 403 for a console action without the login's CSRF token or from another origin; nil when it may go on.
    func consoleRefusal(_ request: Request, login: ConsoleLogin) -> Response? {
        guard let token = request.headers[HTTPField.Name("X-CSRF-Token")!], Self.constantTimeEqual(token, login.csrf) else {
            return Self.json(.forbidden, ["error": "missing or wrong CSRF token; reload the console"])
        }
        if let origin = request.headers[HTTPField.Name("Origin")!], let host = request.head.authority,
            URL(string: origin)?.hostWithPort != host
        {
            return Self.json(.forbidden, ["error": "cross-origin request refused"])
        }
        return nil
    }

    private func login(token: String?) -> Response {
        guard let consoleTokenSHA256, let token, Self.sha256(token) == consoleTokenSHA256 else {
            return Self.page(ConsoleAssets.loginPage(message: "That token is not right."), status: .unauthorized)
        }
        let id = Self.randomToken()
        let login = ConsoleLogin(csrf: Self.randomToken(), expires: .now + Self.loginLifetime)
        logins.withLock { logins in
            logins = logins.filter { $0.value.expires > .now }
            logins[id] = login
        }
        var response = Response(status: .seeOther)
        response.headers[.location] = "/console"
        response.headers[.setCookie] = "\(Self.cookieName)=\(id); Path=/console; HttpOnly; SameSite=Strict; Max-Age=\(12 * 3600)"
        return response
    }

    func session(_ request: Request) -> ConsoleLogin? {
        guard let id = Self.cookie(Self.cookieName, in: request) else { return nil }
        return logins.withLock { logins in
            guard let login = logins[id], login.expires > .now else { return nil }
            return login
        }
    }

    // MARK: - Helpers

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func bearerMatches(_ header: String?, sha256 expected: String) -> Bool {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return false }
        return constantTimeEqual(sha256(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)), expected)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }

    static func formValue(_ name: String, in form: String) -> String? {
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == name else { continue }
            return parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }

    static func securityHeaders(_ headers: inout HTTPFields) {
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'"
    }

    static func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        securityHeaders(&headers)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        securityHeaders(&headers)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        securityHeaders(&headers)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.encodedString)))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}

extension URL {
    /// `host:port` as a Host header writes it.
    var hostWithPort: String? {
        guard let host else { return nil }
        return port.map { "\(host):\($0)" } ?? host
    }
}
