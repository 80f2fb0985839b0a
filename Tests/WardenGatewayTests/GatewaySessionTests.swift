import HTTPTypes
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenProxy
@testable import WardenGateway

/// An upstream that records what it is sent; the test plays the server by handing messages to the session.
final class FakeUpstream: UpstreamLink, Sendable {
    let sent = Mutex<[String]>([])
    let closed = Atomic<Bool>(false)
    func send(_ message: ByteBuffer) { sent.withLock { $0.append(String(buffer: message)) } }
    func close() { closed.store(true, ordering: .relaxed) }
}

@Suite(.timeLimit(.minutes(1)))
struct GatewaySessionTests {
    /// A policy that judges calls by rules alone, so a call goes upstream without Warden listing tools first.
    static let rulesOnly = "version: 1\ndefault: allow\nvalidate_arguments: false\npoisoning: off\n"
    let loop = MultiThreadedEventLoopGroup.singleton.next()

    func makeSession(stateless: Bool = false, policy: String = "version: 1\ndefault: allow\n", upstream: FakeUpstream) throws -> GatewaySession {
        let compiled = CompiledPolicy(try PolicyLoader.load(yaml: policy, fileName: "p.yaml"))
        let interceptor = SessionInterceptor(
            policy: PolicyHolder(compiled),
            identity: SessionIdentity(agentID: "a", sessionID: "s", serverName: "demo"),
            logger: Logger(label: "test")
        )
        return GatewaySession(
            id: "session-1",
            serverName: "demo",
            agent: AgentIdentity(id: "a"),
            stateless: stateless,
            loop: loop,
            interceptor: interceptor,
            logger: Logger(label: "test")
        ) { _ in upstream }
    }

    func post(_ session: GatewaySession, _ json: String, acceptsEvents: Bool = true) async throws -> ResponseSink? {
        let buffer = ByteBuffer(string: json)
        guard case .success(let envelope) = MessageInspector.inspect(buffer) else { throw Failure("not a message: \(json)") }
        let sink = envelope.kind == .request ? ResponseSink(acceptsEvents: acceptsEvents) : nil
        try await loop.submit { session.receiveFromClient(buffer, envelope: envelope, sink: sink) }.get()
        return sink
    }

    func fromServer(_ session: GatewaySession, _ json: String) async throws {
        try await loop.submit { session.upstreamMessage(.message(ByteBuffer(string: json))) }.get()
    }

    /// Waits (bounded) until the fake upstream got `count` messages.
    func sent(_ upstream: FakeUpstream, count: Int) async throws -> [String] {
        for _ in 0..<200 {
            let sent = upstream.sent.withLock { $0 }
            if sent.count >= count { return sent }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Failure("the upstream got \(upstream.sent.withLock { $0.count }) messages, not \(count)")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func anAnswerGoesToTheRequestThatAskedForIt() async throws {
        let upstream = FakeUpstream()
        let session = try makeSession(upstream: upstream)
        let first = try #require(try await post(session, #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#))
        let second = try #require(try await post(session, #"{"jsonrpc":"2.0","id":2,"method":"ping"}"#))
        _ = try await sent(upstream, count: 2)
        try await fromServer(session, #"{"jsonrpc":"2.0","id":2,"result":{}}"#)
        try await fromServer(session, #"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#)
        let answerTwo = try #require(await second.next())
        let answerOne = try #require(await first.next())
        #expect(answerTwo.isFinal && String(buffer: answerTwo.message).contains(#""id":2"#))
        #expect(answerOne.isFinal && String(buffer: answerOne.message).contains(#""tools":[]"#))
    }

    @Test func statelessRequestsGetGatewayIdsUpstreamAndTheirOwnBack() async throws {
        let upstream = FakeUpstream()
        let session = try makeSession(stateless: true, upstream: upstream)
        // Two clients both use id 1: the upstream must see two different ids.
        let a = try #require(try await post(session, #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#))
        let b = try #require(try await post(session, #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#))
        let sent = try await sent(upstream, count: 2)
        let ids = sent.compactMap { text -> JSONValue? in (try? JSONParser.parse(text))?["id"] }
        #expect(Set(ids.map(\.encodedString)).count == 2, "\(sent)")
        try await fromServer(session, #"{"jsonrpc":"2.0","id":\#(ids[1].encodedString),"result":{"tools":[]}}"#)
        try await fromServer(session, #"{"jsonrpc":"2.0","id":\#(ids[0].encodedString),"result":{}}"#)
        let answerB = try #require(await b.next())
        let answerA = try #require(await a.next())
        #expect(String(buffer: answerB.message) == #"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#)
        #expect(String(buffer: answerA.message) == #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
    }

    @Test func progressFollowsItsRequestAndServerRequestsFindAStream() async throws {
        let upstream = FakeUpstream()
        let session = try makeSession(policy: Self.rulesOnly, upstream: upstream)
        let call = try #require(
            try await post(session, #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"slow","arguments":{},"_meta":{"progressToken":"p-1"}}}"#)
        )
        _ = try await sent(upstream, count: 1)
        try await fromServer(session, #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p-1","progress":1}}"#)
        try await fromServer(session, #"{"jsonrpc":"2.0","id":"e1","method":"elicitation/create","params":{"message":"ok?"}}"#)
        try await fromServer(session, #"{"jsonrpc":"2.0","id":5,"result":{"content":[]}}"#)
        var items: [SinkItem] = []
        while let item = await call.next() { items.append(item) }
        #expect(items.map(\.isFinal) == [false, false, true])
        #expect(String(buffer: items[0].message).contains("notifications/progress"))
        #expect(String(buffer: items[1].message).contains("elicitation/create"))
    }

    @Test func messagesNobodyListensForWaitForTheGETStreamAndCanBeReplayed() async throws {
        let upstream = FakeUpstream()
        let session = try makeSession(upstream: upstream)
        _ = try await post(session, #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        try await fromServer(session, #"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#)
        try await fromServer(session, #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}"#)
        let stream = ResponseSink(acceptsEvents: true)
        try await loop.submit { session.attachStream(stream, lastEventID: nil) }.get()
        let first = try #require(await stream.next())
        let second = try #require(await stream.next())
        #expect(String(buffer: first.message).contains("list_changed"))
        #expect(String(buffer: second.message).contains("notifications/message"))
        // A client that reconnects after the first event gets the second again, and only that.
        let resumed = ResponseSink(acceptsEvents: true)
        try await loop.submit { session.attachStream(resumed, lastEventID: first.eventID) }.get()
        let replayed = try #require(await resumed.next())
        #expect(replayed.eventID == second.eventID)
    }

    @Test func closingAnswersWaitingRequestsAndStopsTheUpstream() async throws {
        let upstream = FakeUpstream()
        let session = try makeSession(upstream: upstream)
        let waiting = try #require(try await post(session, #"{"jsonrpc":"2.0","id":9,"method":"ping"}"#))
        _ = try await sent(upstream, count: 1)
        try await loop.submit { session.close(reason: "the session idled out") }.get()
        let answer = try #require(await waiting.next())
        #expect(String(buffer: answer.message).contains("idled out"))
        let closed = upstream.closed.load(ordering: .relaxed)
        #expect(closed)
        let late = try #require(try await post(session, #"{"jsonrpc":"2.0","id":10,"method":"ping"}"#))
        #expect(String(buffer: try #require(await late.next()).message).contains("ended"))
    }

    @Test func aDeniedCallNeverReachesTheUpstream() async throws {
        let upstream = FakeUpstream()
        let session = try makeSession(policy: "version: 1\ndefault: deny\n", upstream: upstream)
        let call = try #require(try await post(session, #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"x","arguments":{}}}"#))
        let answer = try #require(await call.next())
        #expect(String(buffer: answer.message).contains("Denied by policy"))
        #expect(upstream.sent.withLock { $0.isEmpty })
    }
}

struct RoutingHeadersTests {
    func check(_ headers: [String: String], _ json: String) -> String? {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        let buffer = ByteBuffer(string: json)
        guard case .success(let envelope) = MessageInspector.inspect(buffer) else { return "not a message" }
        return RoutingHeaders.mismatch(fields, message: buffer, envelope: envelope)
    }

    let call = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_record","arguments":{"id":"r-1","count":3}}}"#

    @Test func agreeingHeadersPass() {
        #expect(check([:], call) == nil)
        #expect(check(["Mcp-Method": "tools/call", "Mcp-Name": "read_record", "Mcp-Param-Id": "r-1", "Mcp-Param-Count": "3"], call) == nil)
        #expect(check(["Mcp-Name": "=?base64?cmVhZF9yZWNvcmQ=?="], call) == nil)
    }

    @Test func disagreeingHeadersAreCaught() {
        #expect(check(["Mcp-Method": "tools/list"], call)?.contains("Mcp-Method") == true)
        #expect(check(["Mcp-Name": "delete_record"], call)?.contains("Mcp-Name") == true)
        #expect(check(["Mcp-Param-Id": "r-2"], call)?.contains("does not match") == true)
        #expect(check(["Mcp-Param-Missing": "x"], call)?.contains("does not have") == true)
        #expect(check(["Mcp-Name": "=?base64?!!!?="], call) != nil)
    }
}

extension GatewaySessionTests {
    @Test func subscriptionNotificationsGoToTheirListenStreamUnderTheClientsID() async throws {
        let upstream = FakeUpstream()
        let session = try makeSession(stateless: true, upstream: upstream)
        let listen = try #require(try await post(session, #"{"jsonrpc":"2.0","id":"L1","method":"subscriptions/listen","params":{}}"#))
        let other = try #require(try await post(session, #"{"jsonrpc":"2.0","id":"c2","method":"tools/call","params":{"name":"t","arguments":{}}}"#))
        let sent = try await sent(upstream, count: 2)
        let listenID = try #require((try JSONParser.parse(sent[0]))["id"])
        try await fromServer(
            session,
            #"{"jsonrpc":"2.0","method":"notifications/tools/list_changed","params":{"_meta":{"io.modelcontextprotocol/subscriptionId":\#(listenID.encodedString)}}}"#
        )
        let item = try #require(await listen.next())
        #expect(!item.isFinal)
        #expect(String(buffer: item.message).contains(#""io.modelcontextprotocol/subscriptionId":"L1""#))
        // The other request's stream got nothing: its next item is its own answer.
        let callID = try #require((try JSONParser.parse(sent[1]))["id"])
        try await fromServer(session, #"{"jsonrpc":"2.0","id":\#(callID.encodedString),"result":{"content":[]}}"#)
        let answer = try #require(await other.next())
        #expect(answer.isFinal)
    }
}
