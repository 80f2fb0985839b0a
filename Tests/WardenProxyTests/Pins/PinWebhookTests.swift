import Logging
import Testing
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore

/// `pin.changed` through the approval webhook, to a real HTTP endpoint on loopback.
@Suite(.timeLimit(.minutes(1)))
struct PinWebhookTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
    static let trusted = String(repeating: "3f9a", count: 16)
    static let pending = String(repeating: "c01d", count: 16)

    @Test("a changed definition is POSTed as pin.changed with server, tool, state, both short fingerprints, the pin and a text")
    func changed() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.close() }
        let announcer = WebhookAnnouncer(url: receiver.url, logger: Logger(label: "webhook-test"), initialBackoff: .milliseconds(1))
        let changed = PinRecord(
            server: "bank",
            tool: "transfer",
            trustedFingerprint: Self.trusted,
            trustedDefinition: #"{"name":"transfer"}"#,
            pendingFingerprint: Self.pending,
            pendingDefinition: #"{"description":"x","name":"transfer"}"#,
            firstSeen: Self.start,
            changedAt: Self.start + .seconds(60)
        )
        announcer.announcePinChange(changed)
        announcer.announce(.changed(PinRecord(server: "bank", tool: "<wire>", pendingFingerprint: Self.pending, firstSeen: Self.start)))
        await announcer.shutdown(timeout: .seconds(30))

        let requests = receiver.requests
        try #require(requests.count == 2)
        #expect(requests[0].headers["content-type"] == "application/json")
        let body = try #require(requests[0].json)
        #expect(body["event"] == "pin.changed")
        #expect(body["server"] == "bank")
        #expect(body["tool"] == "transfer")
        #expect(body["state"] == "changed")
        #expect(body["oldFingerprint"] == "3f9a3f9a3f9a")
        #expect(body["newFingerprint"] == "c01dc01dc01d")
        #expect(body["pin"] == changed.jsonValue)
        #expect(
            body["text"]
                == """
                Warden: bank changed the definition of transfer (3f9a3f9a3f9a→c01dc01dc01d); the tool is held until a person \
                accepts it. Review: warden pins diff bank transfer — accept: warden pins accept bank transfer
                """
        )
        let new = try #require(requests[1].json)
        #expect(new["state"] == "held-new")
        #expect(new["oldFingerprint"] == .null)
        #expect(new["text"]?.stringValue?.hasPrefix("Warden: bank lists a new tool &lt;wire&gt; (c01dc01dc01d)") == true)
        #expect(announcer.counts == WebhookAnnouncer.Counts(delivered: 2))
    }
}
