/// Exact sliding-window rate limits and budgets for many keys, with reservations that are settled later.
///
/// In every interval of length `window`, the costs of the calls forwarded under a key add up to at most `max`: a true
/// sliding window, not calendar buckets (which let twice `max` through across a boundary). A call is decided when it
/// is reserved, but it counts from the time it is *forwarded*, because a call held for a human's approval may go
/// upstream minutes later. Until then its reservation counts in every window and never expires, so two calls cannot
/// both be approved into one window. Whichever call of a set was reserved last saw all the others, either pending or
/// forwarded within its window, which is why the bound holds for forward times.
///
/// A value type with no clock and no I/O: the caller passes `now`, so tests replay any arrival pattern exactly, and a
/// store wraps one in whatever isolation and persistence it needs.
public struct LimitLedger: Sendable {
    private var counters: [String: LimitCounter] = [:]
    private var reservations: [ReservationID: Reservation] = [:]
    private var nextReservation: UInt64 = 1
    private var nextSweep = Int64.min
    /// The latest time the ledger has been told about.
    public private(set) var latestTime = Timestamp(millisecondsSinceEpoch: .min)

    /// How often, in ledger time, idle keys are swept away so that keys which are never used again do not stay in memory.
    static let sweepInterval: Int64 = 60_000

    public init() {}

    /// Reserves the call's cost under every limit, or under none, and says which limit refused it and until when.
    ///
    /// Requests are checked in order; when two share a key, the later one sees the earlier one's cost. A request with
    /// zero cost (or an unbounded `max`) is always satisfied and reserves nothing.
    public mutating func reserve(_ requests: [LimitRequest], at now: Timestamp) -> LimitVerdict {
        observe(now)
        let time = now.millisecondsSinceEpoch
        var parts: [Reservation.Part] = []
        parts.reserveCapacity(requests.count)
        var fitsNow = true
        for request in requests {
            let window = Swift.max(request.window.wholeMilliseconds, 0)
            counters[request.key]?.window = window
            counters[request.key]?.prune(at: time, window: window)
            guard let max = LimitAmount(max: request.max) else { continue }
            guard let cost = LimitAmount(cost: request.cost), cost <= max else { fitsNow = false; break }
            let counter = counters[request.key]
            let used = (counter?.forwarded ?? .zero) + (counter?.pending ?? .zero) + earlierCost(of: request.key, in: parts)
            if used + cost > max { fitsNow = false }
            parts.append(Reservation.Part(key: request.key, amount: cost, cost: request.cost, window: window))
        }
        guard fitsNow else { return refusal(for: requests, at: time) }

        let id = ReservationID(rawValue: nextReservation)
        nextReservation += 1
        var reservation = Reservation(reservedAt: time)
        for part in parts where part.amount > .zero {
            counters[part.key, default: LimitCounter(window: part.window)].pending += part.amount
            reservation.parts.append(part)
        }
        reservations[id] = reservation
        return .admitted(id)
    }

    /// The entries `forwarded(_:at:)` would record, so a store can write them before the ledger counts them as sent.
    ///
    /// `nil` when the reservation is unknown or was already forwarded, in which case `forwarded` changes nothing.
    public func entries(forwarding id: ReservationID, at now: Timestamp) -> [LimitEntry]? {
        guard let reservation = reservations[id], reservation.forwardedAt == nil else { return nil }
        let time = Swift.max(now.millisecondsSinceEpoch, reservation.reservedAt)
        return reservation.parts.map { $0.entry(at: time) }
    }

    /// Records that the call goes upstream now: from here on it counts at `now` and leaves the window one window later.
    ///
    /// A time earlier than the reservation counts as the reservation time. Forwarding twice changes nothing.
    @discardableResult
    public mutating func forwarded(_ id: ReservationID, at now: Timestamp) -> [LimitEntry] {
        observe(now)
        guard var reservation = reservations[id], reservation.forwardedAt == nil else { return [] }
        let time = Swift.max(now.millisecondsSinceEpoch, reservation.reservedAt)
        for part in reservation.parts {
            counters[part.key, default: LimitCounter(window: part.window)].pending -= part.amount
            counters[part.key]?.insert(LimitCounter.Entry(time: time, amount: part.amount, reservation: id))
        }
        reservation.forwardedAt = time
        reservations[id] = reservation
        return reservation.parts.map { $0.entry(at: time) }
    }

    /// Keeps the call's entries for good: a result came back (even an error result), so the upstream acted on it.
    ///
    /// A reservation committed without being forwarded counts as forwarded at `latestTime`, the latest time the ledger
    /// knows, which is never earlier than the real forward time of a caller that passes the current time.
    public mutating func commit(_ id: ReservationID) {
        guard let reservation = reservations[id] else { return }
        if reservation.forwardedAt == nil {
            forwarded(id, at: latestTime)
        }
        reservations[id] = nil
    }

    /// Removes the call's reservation or entries as if it had never been made: it was refused, failed or never arrived.
    ///
    /// Returns the entries removed if the call had been forwarded (a store deletes them), `[]` if it was pending, and
    /// `nil` for an unknown or already settled reservation, which changes nothing.
    @discardableResult
    public mutating func rollback(_ id: ReservationID) -> [LimitEntry]? {
        guard let reservation = reservations.removeValue(forKey: id) else { return nil }
        guard let time = reservation.forwardedAt else {
            for part in reservation.parts {
                counters[part.key]?.pending -= part.amount
                forgetIfIdle(part.key)
            }
            return []
        }
        for part in reservation.parts {
            _ = counters[part.key]?.remove(reservation: id, at: time)
            forgetIfIdle(part.key)
        }
        return reservation.parts.map { $0.entry(at: time) }
    }

    /// Counts entries that a store kept from an earlier run, as committed calls that can no longer be rolled back.
    public mutating func restore(_ entries: some Sequence<LimitEntry>) {
        for entry in entries { restore(entry, count: 1) }
    }

    /// Counts `count` entries of `entry`'s key, cost and window, forwarded at or before `entry.time`, as one entry at
    /// that time: exactly their sum, in one step.
    ///
    /// Whether a call fits *now* depends only on the sums of the entries still in the window, so a ledger restored
    /// this way admits and refuses exactly as one restored entry by entry, as long as every entry summed is still in
    /// the window. The retry time of a refusal is the exception: the summed entries leave the window together, at the
    /// latest one's time, so a store that reports retry times restores the entries one by one for a refusal.
    public mutating func restore(_ entry: LimitEntry, count: Int) {
        guard count > 0, let amount = LimitAmount(cost: entry.cost), amount > .zero else { return }
        let window = Swift.max(entry.window.wholeMilliseconds, 0)
        let total = LimitAmount(billionths: amount.billionths * Int128(count))
        counters[entry.key, default: LimitCounter(window: window)]
            .insert(LimitCounter.Entry(time: entry.time.millisecondsSinceEpoch, amount: total, reservation: nil))
    }

    /// Drops every entry that can no longer count at `now` and forgets idle keys; `reserve` does this once a minute.
    public mutating func prune(at now: Timestamp) {
        let time = now.millisecondsSinceEpoch
        for key in Array(counters.keys) {
            guard let window = counters[key]?.window else { continue }
            counters[key]?.prune(at: time, window: window)
            forgetIfIdle(key)
        }
    }

    /// How many forwarded entries are held in memory, across all keys.
    public var retainedEntryCount: Int { counters.values.reduce(0) { $0 + $1.entryCount } }

    /// How many keys are held in memory.
    public var keyCount: Int { counters.count }

    /// How many reservations are neither committed nor rolled back.
    public var openReservationCount: Int { reservations.count }

    /// Whether the reservation is admitted but not yet forwarded (it then counts in every window).
    public func isPending(_ id: ReservationID) -> Bool {
        reservations[id].map { $0.forwardedAt == nil } ?? false
    }

    private mutating func observe(_ now: Timestamp) {
        if now > latestTime { latestTime = now }
        if now.millisecondsSinceEpoch >= nextSweep {
            nextSweep = now.millisecondsSinceEpoch + Self.sweepInterval
            prune(at: now)
        }
    }

    private mutating func forgetIfIdle(_ key: String) {
        if counters[key]?.isIdle == true { counters[key] = nil }
    }

    private func earlierCost(of key: String, in parts: [Reservation.Part]) -> LimitAmount {
        parts.reduce(.zero) { $1.key == key ? $0 + $1.amount : $0 }
    }

    /// Builds the refusal for a call that does not fit now (counters already pruned for its requests).
    ///
    /// The call fits once every limit has room; each limit's room only grows while nothing else happens, so the
    /// earliest time the whole call fits is the latest of the earliest times of each limit.
    private func refusal(for requests: [LimitRequest], at now: Int64) -> LimitVerdict {
        var parts: [Reservation.Part] = []
        var latest = now
        var firstRefusing: Int?
        for (index, request) in requests.enumerated() {
            guard let max = LimitAmount(max: request.max) else { continue }
            guard let cost = LimitAmount(cost: request.cost), cost <= max else {
                return .refused(limitIndex: index, retryAfter: nil)
            }
            let window = Swift.max(request.window.wholeMilliseconds, 0)
            let total = cost + earlierCost(of: request.key, in: parts)
            parts.append(Reservation.Part(key: request.key, amount: cost, cost: request.cost, window: window))
            guard total <= max else { return .refused(limitIndex: index, retryAfter: nil) }
            let counter = counters[request.key] ?? LimitCounter(window: window)
            let fit = counter.earliestFit(of: total, under: max, window: window, at: now)
            if fit > now, firstRefusing == nil { firstRefusing = index }
            latest = Swift.max(latest, fit)
        }
        return .refused(limitIndex: firstRefusing ?? 0, retryAfter: .milliseconds(latest - now))
    }
}
