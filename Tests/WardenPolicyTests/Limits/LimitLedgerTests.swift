import Testing
import WardenPolicy
import WardenTesting

struct LimitLedgerTests {
    let twoPerMinute = LimitRequest(key: "rule/agent-a", max: 2, window: .seconds(60))

    @Test("admits max calls, then refuses until the oldest leaves the window exactly one window after it was forwarded")
    func slidingWindowBoundary() {
        var ledger = LimitLedger()
        #expect(ledger.complete([twoPerMinute], at: at(milliseconds: 0)).isAdmitted)
        #expect(ledger.complete([twoPerMinute], at: at(milliseconds: 1_000)).isAdmitted)
        let justBefore = ledger.reserve([twoPerMinute], at: at(milliseconds: 59_999))
        #expect(justBefore == .refused(limitIndex: 0, retryAfter: .milliseconds(1)))
        #expect(ledger.complete([twoPerMinute], at: at(milliseconds: 60_000)).isAdmitted)
        let afterRefill = ledger.reserve([twoPerMinute], at: at(milliseconds: 60_500))
        #expect(afterRefill == .refused(limitIndex: 0, retryAfter: .milliseconds(500)))
        #expect(ledger.complete([twoPerMinute], at: at(milliseconds: 61_000)).isAdmitted)
    }

    @Test("a burst across a calendar-minute boundary is refused: the window slides")
    func noCalendarBuckets() {
        var ledger = LimitLedger()
        ledger.complete([twoPerMinute], at: at(seconds: 58))
        ledger.complete([twoPerMinute], at: at(seconds: 59))
        let nextMinute = ledger.reserve([twoPerMinute], at: at(seconds: 61))
        #expect(nextMinute == .refused(limitIndex: 0, retryAfter: .seconds(57)))
    }

    @Test("retryAfter is exact: the same call fits at now + retryAfter and not a millisecond earlier")
    func retryAfterIsExact() throws {
        var ledger = LimitLedger()
        let budget = LimitRequest(key: "spend", max: 10, window: .seconds(30), cost: 4)
        for (second, cost) in [(0, 3.0), (5, 2.0), (9, 4.0), (20, 1.0)] {
            var request = budget
            request.cost = cost
            #expect(ledger.complete([request], at: at(seconds: Int64(second))).isAdmitted)
        }
        // Used 10 of 10; 4 more fits once 3 + 2 have left (at 35 s): 1 ≤ 10 - 4 after that, not before.
        let now = at(seconds: 21)
        let verdict = ledger.reserve([budget], at: now)
        #expect(verdict == .refused(limitIndex: 0, retryAfter: .seconds(14)))
        let retry = try #require(verdict.retryAfter)
        let fitsThen = ledger.wouldAdmit([budget], at: now + retry)
        let fitsEarlier = ledger.wouldAdmit([budget], at: now + retry - .milliseconds(1))
        #expect(fitsThen && !fitsEarlier)
    }

    @Test("a call whose cost alone exceeds max is refused with no retry time, even when nothing else was used")
    func costAboveMaxNeverFits() {
        var ledger = LimitLedger()
        let charge = LimitRequest(key: "charges", max: 100, window: .seconds(86_400), cost: 100.01)
        #expect(ledger.reserve([charge], at: start) == .refused(limitIndex: 0, retryAfter: nil))
        let none = LimitRequest(key: "nothing", max: 0, window: .seconds(60))
        #expect(ledger.reserve([none], at: start) == .refused(limitIndex: 0, retryAfter: nil))
        var nan = charge
        nan.cost = .nan
        #expect(ledger.reserve([nan], at: start) == .refused(limitIndex: 0, retryAfter: nil))
        #expect(ledger.openReservationCount == 0)
    }

    @Test("budgets add decimal amounts exactly: 0.10 + 0.20 fits in 0.30 and not a billionth more")
    func fractionalBudgetsAreExact() {
        var ledger = LimitLedger()
        func charge(_ amount: Double) -> [LimitRequest] {
            [LimitRequest(key: "spend", max: 0.3, window: .seconds(60), cost: amount)]
        }
        #expect(ledger.complete(charge(0.1), at: start).isAdmitted)
        #expect(ledger.complete(charge(0.2), at: start).isAdmitted)
        #expect(ledger.reserve(charge(0.000_000_001), at: start) == .refused(limitIndex: 0, retryAfter: .seconds(60)))

        var tenths = LimitLedger()
        let tenth = [LimitRequest(key: "spend", max: 1, window: .seconds(60), cost: 0.1)]
        let admitted = (0..<11).map { tenths.complete(tenth, at: at(seconds: Int64($0))).isAdmitted }
        #expect(admitted == Array(repeating: true, count: 10) + [false])
    }

    @Test("a negative amount counts as zero and makes no room for other calls")
    func negativeCostsMakeNoRoom() {
        var ledger = LimitLedger()
        let spend = LimitRequest(key: "spend", max: 10, window: .seconds(60), cost: 10)
        ledger.complete([spend], at: start)
        var refund = spend
        refund.cost = -1_000
        #expect(ledger.complete([refund], at: start).isAdmitted)
        var small = spend
        small.cost = 1
        let fits = ledger.wouldAdmit([small], at: start)
        #expect(!fits)
    }

    @Test("several limits are reserved all or nothing: a refusal by the second leaves the first untouched")
    func allOrNothing() {
        var ledger = LimitLedger()
        let perAgent = LimitRequest(key: "per-agent", max: 3, window: .seconds(60))
        let global = LimitRequest(key: "global", max: 1, window: .seconds(60))
        #expect(ledger.complete([global], at: start).isAdmitted)
        #expect(ledger.reserve([perAgent, global], at: start) == .refused(limitIndex: 1, retryAfter: .seconds(60)))
        #expect(ledger.openReservationCount == 0)
        let alone = (0..<4).map { _ in ledger.complete([perAgent], at: start).isAdmitted }
        #expect(alone == [true, true, true, false])
    }

    @Test("retryAfter waits for every limit; limitIndex names the first limit that refused")
    func retryAfterCoversAllLimits() {
        var ledger = LimitLedger()
        let short = LimitRequest(key: "short", max: 1, window: .seconds(10))
        let long = LimitRequest(key: "long", max: 1, window: .seconds(60))
        ledger.complete([short, long], at: start)
        #expect(ledger.reserve([short, long], at: at(seconds: 5)) == .refused(limitIndex: 0, retryAfter: .seconds(55)))
    }

    @Test("a limit the call can never fit is named, with no retry time, even after one that refused it for now")
    func neverFitsWins() {
        var ledger = LimitLedger()
        let rate = LimitRequest(key: "rate", max: 1, window: .seconds(10))
        ledger.complete([rate], at: start)
        let budget = LimitRequest(key: "budget", max: 50, window: .seconds(10), cost: 80)
        #expect(ledger.reserve([rate, budget], at: start) == .refused(limitIndex: 1, retryAfter: nil))
    }

    @Test("two requests with the same key in one call both count")
    func sameKeyTwice() {
        var ledger = LimitLedger()
        let request = LimitRequest(key: "shared", max: 3, window: .seconds(60))
        #expect(ledger.complete([request, request], at: start).isAdmitted)
        #expect(ledger.reserve([request, request], at: start) == .refused(limitIndex: 1, retryAfter: .seconds(60)))
        #expect(ledger.reserve([request, request, request, request], at: start) == .refused(limitIndex: 3, retryAfter: nil))
        #expect(ledger.complete([request], at: start).isAdmitted)
    }

    @Test("rolling back a pending or a forwarded call frees its capacity at once")
    func rollbackFreesCapacity() throws {
        var ledger = LimitLedger()
        let one = LimitRequest(key: "one", max: 1, window: .seconds(60))
        let pending = try #require(ledger.reserve([one], at: start).reservation)
        #expect(!ledger.wouldAdmit([one], at: start))
        #expect(ledger.rollback(pending) == [])
        let forwarded = try #require(ledger.reserve([one], at: start).reservation)
        ledger.forwarded(forwarded, at: at(seconds: 1))
        #expect(!ledger.wouldAdmit([one], at: at(seconds: 2)))
        let removed = ledger.rollback(forwarded)
        #expect(removed == [LimitEntry(key: "one", time: at(seconds: 1), cost: 1, window: .seconds(60))])
        #expect(ledger.wouldAdmit([one], at: at(seconds: 2)))
        #expect(ledger.retainedEntryCount == 0)
    }

    @Test("a committed call cannot be rolled back, and settling twice changes nothing")
    func commitIsFinal() throws {
        var ledger = LimitLedger()
        let one = LimitRequest(key: "one", max: 1, window: .seconds(60))
        let id = try #require(ledger.reserve([one], at: start).reservation)
        ledger.forwarded(id, at: start)
        ledger.commit(id)
        #expect(ledger.rollback(id) == nil)
        ledger.commit(id)
        #expect(!ledger.wouldAdmit([one], at: at(seconds: 59)))
        #expect(ledger.openReservationCount == 0)
    }

    @Test("forwarded(at:) moves the entry to the forward time, so a long approval cannot squeeze two calls into one window")
    func forwardTimeCounts() throws {
        var ledger = LimitLedger()
        let one = LimitRequest(key: "one", max: 1, window: .seconds(60))
        let id = try #require(ledger.reserve([one], at: start).reservation)
        ledger.forwarded(id, at: at(seconds: 50))
        ledger.commit(id)
        #expect(ledger.reserve([one], at: at(seconds: 100)) == .refused(limitIndex: 0, retryAfter: .seconds(10)))
        #expect(ledger.complete([one], at: at(seconds: 110)).isAdmitted)
    }

    @Test("a forward time earlier than the reservation counts as the reservation time")
    func forwardTimeNeverPrecedesReservation() throws {
        var ledger = LimitLedger()
        let one = LimitRequest(key: "one", max: 1, window: .seconds(60))
        let id = try #require(ledger.reserve([one], at: at(seconds: 30)).reservation)
        #expect(ledger.forwarded(id, at: at(seconds: 10)).map(\.time) == [at(seconds: 30)])
        #expect(ledger.reserve([one], at: at(seconds: 80)) == .refused(limitIndex: 0, retryAfter: .seconds(10)))
    }

    @Test("a pending reservation never expires; once forwarded it counts for one window from then")
    func pendingNeverExpires() throws {
        var ledger = LimitLedger()
        let one = LimitRequest(key: "one", max: 1, window: .seconds(1))
        let id = try #require(ledger.reserve([one], at: start).reservation)
        // Held for an hour: still counted. The soonest it could leave is one window after being forwarded now.
        #expect(ledger.reserve([one], at: at(seconds: 3_600)) == .refused(limitIndex: 0, retryAfter: .seconds(1)))
        ledger.prune(at: at(seconds: 7_200))
        #expect(ledger.isPending(id))
        ledger.forwarded(id, at: at(seconds: 7_200))
        ledger.commit(id)
        #expect(ledger.reserve([one], at: at(milliseconds: 7_200_999)) == .refused(limitIndex: 0, retryAfter: .milliseconds(1)))
        #expect(ledger.complete([one], at: at(seconds: 7_201)).isAdmitted)
    }

    @Test("a pending reservation that leaves room is counted as staying; retryAfter waits only for forwarded calls")
    func pendingWithRoom() throws {
        var ledger = LimitLedger()
        let three = LimitRequest(key: "three", max: 3, window: .seconds(60))
        ledger.complete([three], at: at(seconds: 0))
        ledger.complete([three], at: at(seconds: 10))
        _ = try #require(ledger.reserve([three], at: at(seconds: 20)).reservation)
        #expect(ledger.reserve([three], at: at(seconds: 30)) == .refused(limitIndex: 0, retryAfter: .seconds(30)))
    }

    @Test("committing a call that was never marked forwarded counts it at the latest time the ledger knows")
    func commitWithoutForward() throws {
        var ledger = LimitLedger()
        let one = LimitRequest(key: "one", max: 1, window: .seconds(60))
        let id = try #require(ledger.reserve([one], at: start).reservation)
        _ = ledger.reserve([LimitRequest(key: "other", max: 5, window: .seconds(1))], at: at(seconds: 40))
        ledger.commit(id)
        #expect(ledger.reserve([one], at: at(seconds: 90)) == .refused(limitIndex: 0, retryAfter: .seconds(10)))
    }

    @Test("memory per key stays within max for a rate limit, and idle keys are forgotten")
    func memoryStaysBounded() {
        var ledger = LimitLedger()
        let ten = LimitRequest(key: "ten", max: 10, window: .seconds(1))
        var maximum = 0
        for step in 0..<5_000 {
            ledger.complete([ten], at: at(milliseconds: Int64(step) * 7))
            maximum = max(maximum, ledger.retainedEntryCount)
        }
        #expect(maximum == 10)
        for session in 0..<100 {
            ledger.complete([LimitRequest(key: "session-\(session)", max: 5, window: .seconds(10))], at: at(seconds: 40))
        }
        #expect(ledger.keyCount == 101)
        _ = ledger.reserve([], at: at(seconds: 200))  // a minute has passed: the ledger sweeps on its own
        #expect(ledger.keyCount == 0)
        #expect(ledger.retainedEntryCount == 0)
    }

    @Test("a call with no limits, zero cost or an unbounded max is admitted and reserves nothing")
    func nothingToReserve() throws {
        var ledger = LimitLedger()
        let free = LimitRequest(key: "spend", max: 10, window: .seconds(60), cost: 0)
        let unbounded = LimitRequest(key: "open", max: .infinity, window: .seconds(60), cost: 1e30)
        for requests in [[], [free], [unbounded]] {
            let id = try #require(ledger.reserve(requests, at: start).reservation)
            ledger.forwarded(id, at: start)
            ledger.commit(id)
        }
        #expect(ledger.retainedEntryCount == 0)
        #expect(ledger.keyCount == 0)
    }

    @Test("restored entries count like committed calls")
    func restoredEntriesCount() {
        var ledger = LimitLedger()
        ledger.restore([
            LimitEntry(key: "one", time: at(seconds: 10), cost: 1, window: .seconds(60)),
            LimitEntry(key: "spend", time: at(seconds: 20), cost: 7.5, window: .seconds(60)),
        ])
        #expect(
            ledger.reserve([LimitRequest(key: "one", max: 1, window: .seconds(60))], at: at(seconds: 30))
                == .refused(limitIndex: 0, retryAfter: .seconds(40))
        )
        #expect(
            ledger.reserve([LimitRequest(key: "spend", max: 10, window: .seconds(60), cost: 3)], at: at(seconds: 30))
                == .refused(limitIndex: 0, retryAfter: .seconds(50))
        )
    }

    @Test("entries restored as a count of equal costs decide as the same entries restored one by one")
    func restoredByCount() {
        var summed = LimitLedger()
        var single = LimitLedger()
        // Ten charges of 0.1 at 10 s … 19 s: as doubles they add up to less than 1.0; in billionths, exactly 1.0.
        for second in 10..<20 {
            single.restore([LimitEntry(key: "spend", time: at(seconds: Int64(second)), cost: 0.1, window: .seconds(60))])
        }
        summed.restore(LimitEntry(key: "spend", time: at(seconds: 19), cost: 0.1, window: .seconds(60)), count: 10)
        let exactlyFull = LimitRequest(key: "spend", max: 1.1, window: .seconds(60), cost: 0.1)
        let overFull = LimitRequest(key: "spend", max: 1.1, window: .seconds(60), cost: 0.2)
        for ledger in [summed, single] {
            var ledger = ledger
            #expect(!ledger.reserve([overFull], at: at(seconds: 30)).isAdmitted)
            #expect(ledger.reserve([exactlyFull], at: at(seconds: 30)).isAdmitted)
        }
        var empty = LimitLedger()
        empty.restore(LimitEntry(key: "spend", time: at(seconds: 19), cost: 0.1, window: .seconds(60)), count: 0)
        #expect(empty.keyCount == 0)
    }
}
