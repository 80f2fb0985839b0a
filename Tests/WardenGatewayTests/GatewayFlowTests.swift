import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
import WardenMCP
import WardenPolicy
import WardenProxy
@testable import WardenGateway

/// A child-like upstream: it pauses reading when asked, and counts the times it is told to read again.
final class PausingUpstream: UpstreamLink, Sendable {
    let reads = Atomic<Int>(0)
    func send(_ message: ByteBuffer) {}
    func close() {}
    func readMore() { reads.wrappingAdd(1, ordering: .relaxed) }
    var pausesReading: Bool { true }
}

@Suite(.timeLimit(.minutes(1)))
struct GatewayFlowTests {
    let loop = MultiThreadedEventLoopGroup.singleton.next()

    func notification(_ size: Int) -> String {
        #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":""# + String(repeating: "x", count: size) + #""}}"#
    }

    @Test("a sink says it is full past its high-water mark, and calls back once drained to its low-water mark")
    func sinkReportsFullAndDrained() async {
        let sink = ResponseSink(acceptsEvents: true)
        let drained = Atomic<Int>(0)
        sink.setOnDrained { drained.wrappingAdd(1, ordering: .relaxed) }
        let chunk = ByteBuffer(repeating: 0x78, count: 64 * 1024)
        var fullAfter = 0
        for number in 1...40 where fullAfter == 0 {
            if sink.yield(SinkItem(eventID: "\(number)", message: chunk, isFinal: false)) { fullAfter = number }
        }
        #expect(fullAfter == ResponseSink.highWater / chunk.readableBytes + 1)
        for _ in 0..<(fullAfter - ResponseSink.lowWater / chunk.readableBytes - 1) { _ = await sink.next() }
        #expect(drained.load(ordering: .relaxed) == 0)
        _ = await sink.next()
        #expect(drained.load(ordering: .relaxed) == 1)
    }

    @Test("a session stops reading its upstream while a client's stream is full, and reads again once it drains")
    func sessionPausesItsUpstream() async throws {
        let upstream = PausingUpstream()
        let compiled = CompiledPolicy(try PolicyLoader.load(yaml: GatewaySessionTests.rulesOnly, fileName: "p.yaml"))
        let interceptor = SessionInterceptor(
            policy: PolicyHolder(compiled),
            identity: SessionIdentity(agentID: "a", sessionID: "s", serverName: "demo"),
            logger: Logger(label: "test")
        )
        let session = GatewaySession(
            id: "session-1",
            serverName: "demo",
            agent: AgentIdentity(id: "a"),
            stateless: false,
            loop: loop,
            interceptor: interceptor,
            logger: Logger(label: "test")
        ) { _ in upstream }
        let stream = ResponseSink(acceptsEvents: true)
        let call = ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{}}}"#)
        guard case .success(let envelope) = MessageInspector.inspect(call) else { throw GatewaySessionTests.Failure("not a message") }
        try await loop.submit { session.receiveFromClient(call, envelope: envelope, sink: stream) }.get()
        for _ in 0..<100 {
            if try await loop.submit({ if case .ready = session.upstream { return true } else { return false } }).get() { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let flood = ByteBuffer(string: notification(100_000))
        var mayRead = true
        for _ in 0..<20 where mayRead {
            mayRead = try await loop.submit {
                session.upstreamMessage(.message(flood))
                return session.upstreamMayRead()
            }.get()
        }
        #expect(!mayRead)
        #expect(upstream.reads.load(ordering: .relaxed) == 0)
        while stream.queuedBytes > ResponseSink.lowWater { _ = await stream.next() }
        for _ in 0..<100 where upstream.reads.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(upstream.reads.load(ordering: .relaxed) == 1)
        #expect(try await loop.submit { session.upstreamMayRead() }.get())
    }

    @Test("the first restart after a served request is immediate; failures in a row back off from 250 ms to 30 s")
    func backoffGrowsOnlyWithFailuresInARow() {
        let waits = (1...10).map { GatewaySession.backoffMilliseconds(afterFailures: $0) }
        #expect(waits == [0, 250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000])
    }

    @Test("/readyz lines and metrics name each server whose upstream backs off, and forget it once it serves")
    func healthReportsBackoff() {
        let health = UpstreamHealth(metrics: nil)
        let now = NIODeadline.now()
        health.update(session: "s1", server: "fragile", failures: 3, retryAt: now + .milliseconds(500))
        health.update(session: "s2", server: "fragile", failures: 1, retryAt: now)
        #expect(health.readinessLines(now: now) == ["upstream fragile: backing off in 2 session(s), 3 failure(s) in a row, next start in 500 ms"])
        let text = health.exposition(servers: ["fragile", "demo"], now: now)
        #expect(text.contains("warden_upstream_backoff_sessions{server=\"fragile\"} 2\n"))
        #expect(text.contains("warden_upstream_backoff_sessions{server=\"demo\"} 0\n"))
        #expect(text.contains("warden_upstream_consecutive_failures{server=\"fragile\"} 3\n"))
        health.remove(session: "s1")
        health.remove(session: "s2")
        #expect(health.readinessLines(now: now).isEmpty)
    }
}
