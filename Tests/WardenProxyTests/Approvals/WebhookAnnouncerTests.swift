import Logging
import Testing
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore

/// The approval webhook against a real HTTP endpoint on loopback: what it sends, how it retries, and that a slow or
/// failing endpoint never holds up the caller.
@Suite(.timeLimit(.minutes(1)))
struct WebhookAnnouncerTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)

    static func record(_ id: String = "ap_one", state: ApprovalState = .pending) -> ApprovalRecord {
        ApprovalRecord(
            id: id,
            createdAt: start,
            expiresAt: start + .seconds(300),
            agentID: "bot",
            sessionID: "session-1",
            tool: "delete_repo",
            rule: "destructive tools need a human",
            reason: "Deleting a repository cannot be undone",
            state: state,
            resolvedBy: state == .pending ? nil : "alice"
        )
    }

    static func announcer(_ receiver: WebhookReceiver, maxAttempts: Int = 5, capacity: Int = 100) -> WebhookAnnouncer {
        WebhookAnnouncer(
            url: receiver.url,
            logger: Logger(label: "webhook-test"),
            maxAttempts: maxAttempts,
            initialBackoff: .milliseconds(1),
            capacity: capacity
        )
    }

    @Test("each event is POSTed as JSON with the record and a Slack-compatible text that says how to approve")
    func delivers() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.close() }
        let announcer = Self.announcer(receiver)
        announcer.announce(.pending(Self.record()))
        announcer.announce(.resolved(Self.record(state: .approved)))
        await announcer.shutdown(timeout: .seconds(30))

        let requests = receiver.requests
        try #require(requests.count == 2)
        #expect(requests[0].method == "POST")
        #expect(requests[0].path == "/hook")
        #expect(requests[0].headers["content-type"] == "application/json")
        let pending = try #require(requests[0].json)
        #expect(pending["event"] == "approval.pending")
        #expect(pending["approval"]?["id"] == "ap_one")
        #expect(pending["approval"]?["tool"] == "delete_repo")
        let text = try #require(pending["text"]?.stringValue)
        #expect(text.hasPrefix("Warden: bot wants to call delete_repo (rule \"destructive tools need a human\")"))
        #expect(text.contains("warden approvals approve ap_one"))
        let resolved = try #require(requests[1].json)
        #expect(resolved["event"] == "approval.resolved")
        #expect(resolved["approval"]?["state"] == "approved")
        #expect(resolved["text"]?.stringValue?.contains("was approved by alice") == true)
        #expect(announcer.counts == WebhookAnnouncer.Counts(delivered: 2))
    }

    @Test("a 500 is retried, and the same body goes again until the webhook accepts it")
    func retriesAfterServerError() async throws {
        let receiver = try WebhookReceiver(statuses: [500, 503])
        defer { receiver.close() }
        let announcer = Self.announcer(receiver)
        announcer.announce(.pending(Self.record()))
        await announcer.shutdown(timeout: .seconds(30))

        let bodies = receiver.requests.map(\.body)
        #expect(bodies.count == 3)
        #expect(Set(bodies).count == 1)
        #expect(announcer.counts == WebhookAnnouncer.Counts(delivered: 1))
    }

    @Test("after the last attempt fails the event is given up, and the next one is still delivered")
    func givesUp() async throws {
        let receiver = try WebhookReceiver(statuses: [500, 500, 500])
        defer { receiver.close() }
        let announcer = Self.announcer(receiver, maxAttempts: 3)
        announcer.announce(.pending(Self.record("ap_lost")))
        announcer.announce(.pending(Self.record("ap_next")))
        await announcer.shutdown(timeout: .seconds(30))

        let ids = receiver.requests.map { $0.json?["approval"]?["id"]?.stringValue }
        #expect(ids == ["ap_lost", "ap_lost", "ap_lost", "ap_next"])
        #expect(announcer.counts == WebhookAnnouncer.Counts(delivered: 1, failed: 1))
    }

    @Test("a webhook nobody listens on is retried and given up without an HTTP exchange")
    func unreachable() async throws {
        let receiver = try WebhookReceiver()
        let url = receiver.url
        receiver.close()  // the port is closed: every connection is refused
        let announcer = WebhookAnnouncer(url: url, logger: Logger(label: "webhook-test"), maxAttempts: 2, initialBackoff: .milliseconds(1))
        announcer.announce(.pending(Self.record()))
        await announcer.shutdown(timeout: .seconds(30))
        #expect(announcer.counts == WebhookAnnouncer.Counts(failed: 1))
    }

    @Test("while the webhook hangs, announce returns at once and a full queue drops its oldest events, not the newest")
    func neverBlocks() async throws {
        let receiver = try WebhookReceiver(holdingAnswers: true)
        defer { receiver.close() }
        let announcer = Self.announcer(receiver, capacity: 4)
        var arrivals = receiver.arrivals.makeAsyncIterator()
        announcer.announce(.pending(Self.record("ap_0")))
        _ = await arrivals.next()  // ap_0 is on the wire, waiting for an answer that does not come

        for index in 1...50 { announcer.announce(.pending(Self.record("ap_\(index)"))) }
        #expect(announcer.counts.dropped == 46)

        receiver.release()
        await announcer.shutdown(timeout: .seconds(30))
        let ids = receiver.requests.compactMap { $0.json?["approval"]?["id"]?.stringValue }
        #expect(ids == ["ap_0", "ap_47", "ap_48", "ap_49", "ap_50"])
        #expect(announcer.counts == WebhookAnnouncer.Counts(delivered: 5, dropped: 46))
    }

    @Test("after shutdown nothing more is sent")
    func shutDown() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.close() }
        let announcer = Self.announcer(receiver)
        await announcer.shutdown(timeout: .seconds(30))
        announcer.announce(.pending(Self.record()))
        #expect(receiver.requests.isEmpty)
        #expect(announcer.counts == WebhookAnnouncer.Counts())
    }

    @Test("the text escapes what Slack would read as markup, and a resolution says who decided and why")
    func text() {
        var record = Self.record()
        record.agentID = "<@channel> & co"
        record.server = "github"
        #expect(ApprovalEvent.pending(record).text.hasPrefix("Warden: &lt;@channel&gt; &amp; co wants to call delete_repo on github"))
        record.state = .denied
        record.resolvedBy = "bob"
        record.resolutionReason = "not on a Friday"
        #expect(
            ApprovalEvent.resolved(record).text
                == "Warden: the call to delete_repo on github (approval ap_one) was denied by bob: not on a Friday."
        )
    }
}
