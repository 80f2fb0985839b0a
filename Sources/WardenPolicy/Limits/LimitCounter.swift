/// The state of one key: the forwarded entries still inside its window, oldest first, and what is reserved but pending.
///
/// Entries live in an array read from `head`, so dropping expired ones from the front costs nothing until the dead
/// prefix is compacted away; the array never holds more than about twice the live entries, and for a rate limit the
/// live entries are at most `max`.
struct LimitCounter: Sendable {
    struct Entry: Sendable {
        /// Forward time in milliseconds since the epoch.
        var time: Int64
        var amount: LimitAmount
        /// The reservation that may still roll the entry back; `nil` once restored from a store.
        var reservation: ReservationID?
    }

    /// The window of the last request for this key, in milliseconds; used when the ledger sweeps idle keys.
    var window: Int64
    private var storage: [Entry] = []
    private var head = 0
    /// The sum of the live entries.
    private(set) var forwarded = LimitAmount.zero
    /// The sum of reservations not forwarded yet; they count in every window until they are forwarded or rolled back.
    var pending = LimitAmount.zero

    init(window: Int64) {
        self.window = window
    }

    var entryCount: Int { storage.count - head }

    /// No entries and nothing pending: the key can be forgotten without changing any verdict.
    var isIdle: Bool { entryCount == 0 && pending == .zero }

    /// The live entries, oldest first.
    var entries: ArraySlice<Entry> { storage[head...] }

    /// Drops the entries that no longer count at `now`: those at or before `now - window`.
    mutating func prune(at now: Int64, window: Int64) {
        let cutoff = now - window
        while head < storage.count, storage[head].time <= cutoff {
            forwarded -= storage[head].amount
            head += 1
        }
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 32, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }

    /// Adds a forwarded entry in time order (usually at the end: calls are forwarded in roughly the order they come).
    mutating func insert(_ entry: Entry) {
        var index = storage.count
        if let last = storage.last, last.time > entry.time {
            index = upperBound(of: entry.time)
        }
        storage.insert(entry, at: index)
        forwarded += entry.amount
    }

    /// Removes the entry a reservation made at `time`, if it is still live, and says whether it was.
    mutating func remove(reservation: ReservationID, at time: Int64) -> Bool {
        var index = lowerBound(of: time)
        while index < storage.count, storage[index].time == time {
            if storage[index].reservation == reservation {
                forwarded -= storage[index].amount
                storage.remove(at: index)
                return true
            }
            index += 1
        }
        return false
    }

    /// The earliest time, at or after `now`, at which `cost` more fits under `max` if nothing else happens.
    ///
    /// Entries leave the window one by one, oldest first; an entry at `t` stops counting at `t + window`. Pending
    /// reservations never leave on their own. If they alone leave no room, the answer is the soonest they could: as if
    /// they were forwarded right now. Requires a pruned counter and `cost <= max`.
    func earliestFit(of cost: LimitAmount, under max: LimitAmount, window: Int64, at now: Int64) -> Int64 {
        var used = forwarded + pending
        if used + cost <= max { return now }
        if pending + cost <= max {
            for entry in entries {
                used -= entry.amount
                if used + cost <= max { return entry.time + window }
            }
        } else {
            var pendingLeft = false
            for entry in entries {
                if !pendingLeft, entry.time > now {
                    pendingLeft = true
                    used -= pending
                    if used + cost <= max { return now + window }
                }
                used -= entry.amount
                if used + cost <= max { return entry.time + window }
            }
            if !pendingLeft { return now + window }
        }
        preconditionFailure("a cost within max always fits once everything has left the window")
    }

    private func lowerBound(of time: Int64) -> Int {
        var low = head
        var high = storage.count
        while low < high {
            let middle = (low + high) / 2
            if storage[middle].time < time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func upperBound(of time: Int64) -> Int {
        var low = head
        var high = storage.count
        while low < high {
            let middle = (low + high) / 2
            if storage[middle].time <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
