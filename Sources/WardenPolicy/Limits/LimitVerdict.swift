/// What the limits said about a call: admitted with a reservation to settle, or refused by one of them.
public enum LimitVerdict: Sendable, Equatable {
    /// Every limit had room; the call's cost is now reserved under each of them until it is committed or rolled back.
    case admitted(ReservationID)

    /// The call does not fit, and nothing was reserved.
    ///
    /// `limitIndex` points into the requests passed to `reserve`: the first limit the call can never fit, or else the
    /// first one that refused it now. `retryAfter` is the earliest time from now at which the same call would fit under
    /// every limit if nothing else happened, to the millisecond, or `nil` when its cost alone exceeds that limit's
    /// `max`, so retrying can never help. Calls reserved but not yet forwarded (waiting for approval) count as staying;
    /// where they alone leave no room, the answer is the soonest they could leave: one window, as if forwarded now.
    case refused(limitIndex: Int, retryAfter: Duration?)

    /// Whether the call may proceed.
    public var isAdmitted: Bool {
        if case .admitted = self { return true }
        return false
    }
}
