public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import Logging
import WardenJSON
public import WardenStore

/// Announces new and resolved approvals with a JSON POST, retried with backoff, never on the call path.
public final class WebhookAnnouncer: Sendable {
    /// What happened to an approval.
    public enum Event: Sendable {
        case pending(ApprovalRecord)
        case resolved(ApprovalRecord)
    }

    private let url: URL
    private let logger: Logger
    private let maxAttempts: Int
    private let initialBackoff: Duration

    public init(url: URL, logger: Logger, maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(500)) {
        self.url = url
        self.logger = logger
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
    }

    /// Returns at once; the POST and its retries run in the background.
    public func announce(_ event: Event) {
        let body = Self.body(for: event).encodedBytes
        // Delivery is fire-and-forget by design: the task ends after its last attempt and nothing waits for it.
        Task.detached { [url, logger, maxAttempts, initialBackoff] in
            var backoff = initialBackoff
            for attempt in 1...maxAttempts {
                var request = URLRequest(url: url)
                request.httpMethod = "POST"
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(body)
                request.timeoutInterval = 10
                if let (_, response) = try? await URLSession.shared.data(for: request),
                    let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status)
                {
                    return
                }
                if attempt == maxAttempts { break }
                try? await Task.sleep(for: backoff)
                backoff = backoff * 2
            }
            logger.warning("approval webhook not delivered", metadata: ["webhook.attempts": "\(maxAttempts)"])
        }
    }

    static func body(for event: Event) -> JSONValue {
        switch event {
        case .pending(let record):
            let who = record.agentID ?? "an agent"
            let rule = record.rule.map { " (rule \"\($0)\")" } ?? ""
            let text = "Warden: \(who) wants to call \(record.tool)\(rule): \(record.reason ?? "approval required"). "
                + "Approve: warden approvals approve \(record.id) — deny: warden approvals deny \(record.id) --reason …"
            return ["event": "approval.pending", "approval": record.jsonValue, "text": .string(text)]
        case .resolved(let record):
            let by = record.resolvedBy.map { " by \($0)" } ?? ""
            let text = "Warden: the call to \(record.tool) (approval \(record.id)) was \(record.state)\(by)."
            return ["event": "approval.resolved", "approval": record.jsonValue, "text": .string(text)]
        }
    }
}
