import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WardenProxy
import WardenStore

/// The console's and the admin API's routes in process: credentials first, then the path, then the method.
struct ApprovalDeskRoutingTests {
    /// SHA-256 of `admin-token` and `console-token`.
    static let admin = "10a4c7c9fc5206d6f36dc6944a81bb6f4a3cb0e25014ae3b12e6c3e52712292a"
    static let console = "bc7c55a37ffb99fb9cd1c82be1e6198a0b5b26998bd0e53d88ad34d7b80d1c02"

    func withDesk(admin: String? = Self.admin, console: String? = Self.console, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let desk = ApprovalDesk(store: MemoryApprovalStore(), consoleTokenSHA256: console, adminTokenSHA256: admin)
        let router = Router()
        desk.addRoutes(to: router)
        try await Application(router: router).test(.router, body)
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    @Test("the admin API answers 401 without its token, then 404 for an unknown path and 405 for a method it does not take")
    func adminRoutes() async throws {
        try await withDesk { client in
            try await client.execute(uri: "/admin/approvals", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"warden-admin\"")
            }
            try await client.execute(uri: "/admin/approvals", method: .get, headers: Self.bearer("admin-token")) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body).contains(#""approvals":[]"#))
            }
            try await client.execute(uri: "/admin/elsewhere", method: .get, headers: Self.bearer("admin-token")) {
                #expect($0.status == .notFound)
                #expect(String(buffer: $0.body).contains("unknown admin path"))
            }
            try await client.execute(uri: "/admin/approvals/a1/approve", method: .get, headers: Self.bearer("admin-token")) {
                #expect($0.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/admin/approvals/a1/approve", method: .post, headers: Self.bearer("wrong")) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/admin/approvals/a1", method: .get, headers: Self.bearer("admin-token")) {
                #expect($0.status == .notFound)
                #expect(String(buffer: $0.body).contains("no approval a1"))
            }
        }
    }

    @Test("the console serves its login page, refuses its API before login, and a part that is off says so")
    func consoleRoutes() async throws {
        try await withDesk(admin: nil) { client in
            try await client.execute(uri: "/console/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
            try await client.execute(uri: "/console/api/approvals", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/console/api/approvals/a1/approve", method: .post) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/console?token=wrong", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/console?token=console-token", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.setCookie]?.hasPrefix("warden_console=") == true)
            }
            try await client.execute(uri: "/admin/approvals", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body) == "Not Found: the admin API is not enabled\n")
            }
        }
    }
}
