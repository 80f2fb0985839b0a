import Foundation
import Hummingbird
import WardenJSON
import WardenPolicy
public import WardenStore

/// Where people review held tool definitions over HTTP: the pin routes of the admin API and of the console.
///
/// It adds routes to an `ApprovalDesk` and uses that desk's credentials (the admin bearer token; the console's cookie
/// session and CSRF token), so pins and approvals are one surface with one login. Accepting goes through
/// `PinAudit`, as `warden pins accept` does, so every channel leaves the same `pin_accepted` record.
public final class PinDesk: Sendable {
    let pins: any PinStore
    /// Where acceptances are recorded; nil when the trail is off (the pin itself still names who accepted).
    let audit: (any AuditStore)?

    public init(pins: any PinStore, audit: (any AuditStore)?) {
        self.pins = pins
        self.audit = audit
    }

    // MARK: - Admin API

    /// `/admin/pins…`, answered only with the admin token.
    func addAdminRoutes(to router: Router<BasicRequestContext>, desk: ApprovalDesk) {
        let unknown: ApprovalDesk.Handler = { request, _ in
            desk.adminAuthorized(request) {
                ApprovalDesk.json(
                    .methodNotAllowed,
                    [
                        "error": .string(
                            "use GET /admin/pins[?server=S], GET /admin/pins/SERVER/TOOL[/diff], "
                                + "POST /admin/pins/SERVER/TOOL/accept or POST /admin/pins/SERVER/accept-all"
                        )
                    ]
                )
            }
        }
        ApprovalDesk.on(router, "/admin/pins", [.get: { request, _ in
            desk.adminAuthorized(request) { self.list(server: request.uri.queryParameters["server"].map(String.init), heldOnly: false) }
        }], fallback: unknown)
        let show: ApprovalDesk.Handler = { request, context in
            desk.adminAuthorized(request) { self.show(server: Self.parameter("server", context), tool: Self.parameter("tool", context)) }
        }
        ApprovalDesk.on(router, "/admin/pins/:server/:tool", [.get: show], fallback: unknown)
        ApprovalDesk.on(router, "/admin/pins/:server/:tool/diff", [.get: show], fallback: unknown)
        ApprovalDesk.on(router, "/admin/pins/:server/:tool/accept", [.post: { request, context in
            guard desk.isAdmin(request) else { return try await unknown(request, context) }
            let by = await Self.body(request)?["by"]?.stringValue ?? "admin"
            return self.accept(server: Self.parameter("server", context), tool: Self.parameter("tool", context), by: by, via: "admin-api")
        }], fallback: unknown)
        ApprovalDesk.on(router, "/admin/pins/:server/accept-all", [.post: { request, context in
            guard desk.isAdmin(request) else { return try await unknown(request, context) }
            let by = await Self.body(request)?["by"]?.stringValue ?? "admin"
            return self.acceptAll(server: Self.parameter("server", context), by: by, via: "admin-api")
        }], fallback: unknown)
    }

    // MARK: - Console

    /// `/console/api/pins…`, answered only inside a console login; actions also need its CSRF token.
    func addConsoleRoutes(to router: Router<BasicRequestContext>, desk: ApprovalDesk, unknown: @escaping ApprovalDesk.Handler) {
        ApprovalDesk.on(router, "/console/api/pins", [.get: { request, context in
            guard desk.session(request) != nil else { return try await unknown(request, context) }
            return self.list(server: nil, heldOnly: true)
        }], fallback: unknown)
        ApprovalDesk.on(router, "/console/api/pins/:server/:tool/accept", [.post: { request, context in
            guard let login = desk.session(request) else { return try await unknown(request, context) }
            if let refusal = desk.consoleRefusal(request, login: login) { return refusal }
            return self.accept(server: Self.parameter("server", context), tool: Self.parameter("tool", context), by: desk.consoleUser, via: "console")
        }], fallback: unknown)
    }

    // MARK: - Answers

    /// Every pin (or one server's, or only the held ones, with their definitions and diff, for the console).
    func list(server: String?, heldOnly: Bool) -> Response {
        do {
            let records = try pins.list(server: server?.isEmpty == true ? nil : server)
            let shown = heldOnly ? records.filter(\.isHeld).map(Self.detail) : records.map(\.jsonValue)
            return ApprovalDesk.json(.ok, ["pins": .array(shown)])
        } catch {
            return ApprovalDesk.json(.serviceUnavailable, ["error": .string("the pin store cannot be read: \(error)")])
        }
    }

    func show(server: String, tool: String) -> Response {
        do {
            guard let record = try pins.get(server: server, tool: tool) else {
                return ApprovalDesk.json(.notFound, ["error": .string("no pin for \(server)/\(tool)")])
            }
            return ApprovalDesk.json(.ok, Self.detail(record))
        } catch {
            return ApprovalDesk.json(.serviceUnavailable, ["error": .string("the pin store cannot be read: \(error)")])
        }
    }

    /// 200 with the pin accepted; 404 for no such pin; 409 when it has nothing pending (someone accepted it first,
    /// or the server went back to the trusted definition).
    func accept(server: String, tool: String, by person: String, via channel: String) -> Response {
        do {
            guard let before = try pins.get(server: server, tool: tool) else {
                return ApprovalDesk.json(.notFound, ["error": .string("no pin for \(server)/\(tool)")])
            }
            guard let after = try acceptPending(server: server, tool: tool, by: person, via: channel) else {
                return ApprovalDesk.json(.conflict, ["error": .string("\(server)/\(tool) has nothing pending to accept"), "pin": before.jsonValue])
            }
            return ApprovalDesk.json(.ok, ["accepted": Self.acceptance(before: before, after: after)])
        } catch {
            return ApprovalDesk.json(.serviceUnavailable, ["error": .string("the pin store cannot be written: \(error)")])
        }
    }

    /// 200 with every pin accepted (none when nothing was pending); 404 for a server with no pins.
    func acceptAll(server: String, by person: String, via channel: String) -> Response {
        do {
            let before = try pins.list(server: server)
            guard !before.isEmpty else { return ApprovalDesk.json(.notFound, ["error": .string("no pins for server \(server)")]) }
            let now = Timestamp.now()
            let accepted =
                if let audit {
                    try PinAudit.acceptAll(server: server, by: person, via: channel, pins: pins, audit: audit, at: now)
                } else {
                    try pins.acceptAll(server: server, by: person, at: now)
                }
            let earlier = Dictionary(before.map { ($0.tool, $0) }, uniquingKeysWith: { first, _ in first })
            let shown = accepted.map { after in earlier[after.tool].map { Self.acceptance(before: $0, after: after) } ?? after.jsonValue }
            return ApprovalDesk.json(.ok, ["accepted": .array(shown)])
        } catch {
            return ApprovalDesk.json(.serviceUnavailable, ["error": .string("the pin store cannot be written: \(error)")])
        }
    }

    private func acceptPending(server: String, tool: String, by person: String, via channel: String) throws(StoreError) -> PinRecord? {
        let now = Timestamp.now()
        guard let audit else { return try pins.accept(server: server, tool: tool, by: person, at: now) }
        return try PinAudit.accept(server: server, tool: tool, by: person, via: channel, pins: pins, audit: audit, at: now)
    }

    // MARK: - JSON

    /// A pin with both definitions pretty-printed and the diff between them, as the console and `GET …/TOOL` show it.
    static func detail(_ record: PinRecord) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        let diff =
            record.isHeld
            ? DefinitionDiff(old: record.trustedDefinition, new: record.pendingDefinition).unified(
                oldLabel: "\(record.server)/\(record.tool) trusted \(PinAudit.short(record.trustedFingerprint))",
                newLabel: "\(record.server)/\(record.tool) pending \(PinAudit.short(record.pendingFingerprint))"
            ) : nil
        return [
            "pin": record.jsonValue,
            "trustedDefinition": text(record.trustedDefinition.map(DefinitionDiff.pretty)),
            "pendingDefinition": text(record.pendingDefinition.map(DefinitionDiff.pretty)),
            "diff": text(diff),
        ]
    }

    /// What an acceptance answers: the pin now, and the short fingerprints it went from and to.
    static func acceptance(before: PinRecord, after: PinRecord) -> JSONValue {
        [
            "pin": after.jsonValue,
            "from": .string(PinAudit.short(before.trustedFingerprint)),
            "to": .string(PinAudit.short(after.trustedFingerprint)),
        ]
    }

    /// A path parameter as the person wrote it: the router leaves percent escapes (`%2F` in a tool name) in place.
    static func parameter(_ name: String, _ context: BasicRequestContext) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// The JSON body of an action, when there is one.
    static func body(_ request: Request) async -> JSONValue? {
        var request = request
        return (try? await request.collectBody(upTo: 64 * 1024)).flatMap { buffer in buffer.withUnsafeReadableBytes { try? JSONParser.parse($0) } }
    }
}
