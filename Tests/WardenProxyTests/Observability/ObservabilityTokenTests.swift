import Testing
import WardenProxy

@Suite("Observability endpoint with a metrics token")
struct ObservabilityTokenTests {
    /// SHA-256 of `s3cret-token`, worked out outside the code under test.
    static let tokenHash = "a81e611a041b13f078bf8ebe5dab4d4fd63fcc5594661c918bec093a2f416a7e"

    @Test("with a token configured, /metrics answers 401 without it or with a wrong one, and 200 with it; health stays open")
    func metricsNeedTheToken() async throws {
        let token = "s3cret-token"
        var configuration = ObservabilityServer.Configuration()
        configuration.metricsTokenSHA256 = Self.tokenHash
        let server = try await ObservabilityServer.start(port: 0, metrics: WardenMetrics(), configuration: configuration)
        let client = try RawHTTPClient(port: server.port)
        let missing = try client.request("GET", "/metrics")
        let wrong = try client.request("GET", "/metrics", headers: ["Authorization": "Bearer nope"])
        let right = try client.request("GET", "/metrics", headers: ["Authorization": "Bearer \(token)"])
        let health = try client.request("GET", "/healthz")
        #expect(missing.status == 401)
        #expect(missing.headers.contains { $0.key.lowercased() == "www-authenticate" && $0.value.hasPrefix("Bearer") })
        #expect(wrong.status == 401)
        #expect(right.status == 200)
        #expect(health.status == 200)
        await server.shutdown()
    }
}
