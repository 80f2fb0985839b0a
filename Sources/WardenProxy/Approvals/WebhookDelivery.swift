import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import WardenJSON
import WardenPolicy
import WardenStore

/// POSTs one announcement at a time, with retries; the background half of `WebhookAnnouncer`.
final class WebhookDelivery: Sendable {
    let url: URL
    let logger: Logger
    let maxAttempts: Int
    let initialBackoff: Duration
    let requestTimeout: Duration
    let counts = Mutex(WebhookAnnouncer.Counts())

    init(url: URL, logger: Logger, maxAttempts: Int, initialBackoff: Duration, requestTimeout: Duration) {
        self.url = url
        self.logger = logger
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.requestTimeout = requestTimeout
    }

    /// Tries until a 2xx answer, the last attempt, or cancellation; network errors and other statuses are retried alike.
    func deliver(_ event: WebhookMessage) async {
        let body = ByteBuffer(bytes: event.jsonValue.encodedBytes)
        var backoff = initialBackoff
        var lastProblem = ""
        for attempt in 1...maxAttempts {
            lastProblem = await post(body)
            if lastProblem.isEmpty {
                counts.withLock { $0.delivered += 1 }
                return
            }
            logger.debug(
                "approval webhook attempt failed",
                metadata: event.metadata.merging(["webhook.attempt": "\(attempt)", "webhook.error": "\(lastProblem)"]) { _, new in new }
            )
            guard attempt < maxAttempts, (try? await Task.sleep(for: backoff)) != nil else { break }
            backoff = min(backoff * 2, .seconds(60))
        }
        counts.withLock { $0.failed += 1 }
        logger.warning(
            "approval webhook not delivered",
            metadata: event.metadata.merging(["webhook.error": "\(lastProblem)"]) { _, new in new }
        )
    }

    /// One POST; an empty string when the webhook answered 2xx, else what went wrong.
    private func post(_ body: ByteBuffer) async -> String {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(body)
        do {
            let response = try await Self.client.execute(request, timeout: .milliseconds(Int64(requestTimeout.wholeMilliseconds)))
            // The answer's body is not used, but is read (bounded) so the connection can be used again.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            return (200..<300).contains(status) ? "" : "HTTP status \(status)"
        } catch {
            return "\(error)"
        }
    }

    /// One client for every webhook of the process. Redirects are not followed: an announcement goes to the
    /// configured address or nowhere.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}
