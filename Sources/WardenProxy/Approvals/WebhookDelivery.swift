import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Logging
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
    func deliver(_ event: ApprovalEvent) async {
        let body = Data(event.jsonValue.encodedBytes)
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
                metadata: ["approval.id": "\(event.approval.id)", "webhook.attempt": "\(attempt)", "webhook.error": "\(lastProblem)"]
            )
            guard attempt < maxAttempts, (try? await Task.sleep(for: backoff)) != nil else { break }
            backoff = min(backoff * 2, .seconds(60))
        }
        counts.withLock { $0.failed += 1 }
        logger.warning(
            "approval webhook not delivered",
            metadata: [
                "approval.id": "\(event.approval.id)", "webhook.event": "\(event.kind)", "webhook.error": "\(lastProblem)",
            ]
        )
    }

    /// One POST; an empty string when the webhook answered 2xx, else what went wrong.
    private func post(_ body: Data) async -> String {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        request.timeoutInterval = Double(requestTimeout.wholeMilliseconds) / 1000
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            guard let status = (response as? HTTPURLResponse)?.statusCode else { return "not an HTTP response" }
            return (200..<300).contains(status) ? "" : "HTTP status \(status)"
        } catch {
            return "\(error)"
        }
    }
}
