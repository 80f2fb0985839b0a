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
    private let logins = Mutex<[String: ConsoleLogin]>([:])
    static let cookieName = "warden_console"
    static let loginLifetime: Duration = .seconds(12 * 3600)

    struct ConsoleLogin {
        var csrf: String
        var expires: ContinuousClock.Instant
    }

    public init(store: any ApprovalStore, consoleTokenSHA256: String?, consoleUser: String = "console", adminTokenSHA256: String?) {
        self.store = store
        self.consoleTokenSHA256 = consoleTokenSHA256
        self.consoleUser = consoleUser
        self.adminTokenSHA256 = adminTokenSHA256
    }

    /// Routes for `/console…` and `/admin/…`; nil for any other path.
    public func respond(to request: Request) async -> Response? {
        let path = request.uri.path
        if path == "/console" || path.hasPrefix("/console/") {
            guard consoleTokenSHA256 != nil else { return Self.text(.notFound, "Not Found: the console is not enabled") }
            return await console(request, path: path)
        }
        if path.hasPrefix("/admin/") {
            guard adminTokenSHA256 != nil else { return Self.text(.notFound, "Not Found: the admin API is not enabled") }
            return await admin(request, path: path)
        }
        return nil
    }

    // MARK: - Admin API

    private func admin(_ request: Request, path: String) async -> Response {
        guard let adminTokenSHA256, Self.bearerMatches(request.headers[.authorization], sha256: adminTokenSHA256) else {
            var response = Self.json(.unauthorized, ["error": "the admin API needs `Authorization: Bearer <admin token>`"])
            response.headers[.wwwAuthenticate] = "Bearer realm=\"warden-admin\""
            return response
        }
        let parts = path.split(separator: "/").map(String.init)  // admin, approvals, [id], [action]
        guard parts.count >= 2, parts[1] == "approvals" else { return Self.json(.notFound, ["error": "unknown admin path"]) }
        switch (request.method, parts.count) {
        case (.get, 2):
            let all = request.uri.queryParameters["state"].map { $0 == "all" } ?? false
            return list(all: all)
        case (.get, 3):
            guard let record = try? store.get(id: parts[2]) else { return Self.json(.notFound, ["error": .string("no approval \(parts[2])")]) }
            return Self.json(.ok, record.jsonValue)
        case (.post, 4) where parts[3] == "approve" || parts[3] == "deny":
            var request = request
            let body = (try? await request.collectBody(upTo: 64 * 1024)).flatMap { buffer in buffer.withUnsafeReadableBytes { try? JSONParser.parse($0) } }
            let by = body?["by"]?.stringValue ?? "admin"
            return decide(id: parts[2], approve: parts[3] == "approve", by: by, reason: body?["reason"]?.stringValue)
        default:
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

    private func console(_ request: Request, path: String) async -> Response {
        switch (request.method, path) {
        case (.get, "/console/app.js"):
            return Self.asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8")
        case (.get, "/console/app.css"):
            return Self.asset(ConsoleAssets.style, type: "text/css; charset=utf-8")
        case (.post, "/console/login"):
            var request = request
            let form = (try? await request.collectBody(upTo: 16 * 1024)).map { String(buffer: $0) } ?? ""
            return login(token: Self.formValue("token", in: form))
        case (.get, "/console"), (.get, "/console/"):
            if let token = request.uri.queryParameters["token"] { return login(token: String(token)) }
            guard let login = session(request) else { return Self.page(ConsoleAssets.loginPage(message: nil)) }
            return Self.page(ConsoleAssets.consolePage(csrf: login.csrf, user: consoleUser))
        case (.post, "/console/logout"):
            if let id = Self.cookie(Self.cookieName, in: request) { logins.withLock { $0[id] = nil } }
            var response = Response(status: .seeOther)
            response.headers[.location] = "/console"
            response.headers[.setCookie] = "\(Self.cookieName)=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"
            return response
        default:
            break
        }
        // The JSON API behind the page: the cookie session, and for actions also the CSRF token and a same origin.
        guard let login = session(request) else { return Self.json(.unauthorized, ["error": "log in to the console first"]) }
        if request.method == .get, path == "/console/api/approvals" { return list(all: false) }
        let parts = path.split(separator: "/").map(String.init)  // console, api, approvals, id, action
        guard request.method == .post, parts.count == 5, parts[1] == "api", parts[2] == "approvals",
            parts[4] == "approve" || parts[4] == "deny"
        else { return Self.json(.notFound, ["error": "unknown console path"]) }
        guard let token = request.headers[HTTPField.Name("X-CSRF-Token")!], Self.constantTimeEqual(token, login.csrf) else {
            return Self.json(.forbidden, ["error": "missing or wrong CSRF token; reload the console"])
        }
        if let origin = request.headers[HTTPField.Name("Origin")!], let host = request.head.authority,
            URL(string: origin)?.hostWithPort != host
        {
            return Self.json(.forbidden, ["error": "cross-origin request refused"])
        }
        var request = request
        let body = (try? await request.collectBody(upTo: 64 * 1024)).flatMap { buffer in buffer.withUnsafeReadableBytes { try? JSONParser.parse($0) } }
        return decide(id: parts[3], approve: parts[4] == "approve", by: consoleUser, reason: body?["reason"]?.stringValue)
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

    private func session(_ request: Request) -> ConsoleLogin? {
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
