public import WardenPolicy

/// Where rate limits and budgets are counted: the ledger's lifecycle, behind whatever isolation and persistence a
/// store needs.
///
/// `reserve` is atomic with respect to concurrent callers: a call's limits are all reserved, or none. Each
/// reservation is then driven by its one caller, in order: `forwarded(_:at:)` right before the call goes upstream,
/// then `commit` when a result comes back (even an error result) or `rollback` when it fails or is refused. Settling
/// an unknown or already settled reservation does nothing. Every method throws only ``StoreError``; the proxy then
/// fails closed.
public protocol LimitStore: Sendable {
    /// Reserves the call's cost under every limit in `requests`, or refuses it naming the limit and when to retry.
    func reserve(_ requests: [LimitRequest], at now: Timestamp) async throws -> LimitVerdict

    /// Records that the call is sent upstream now; when this returns, the call counts even across a restart.
    func forwarded(_ id: ReservationID, at now: Timestamp) async throws

    /// Keeps the call's cost for good: the upstream answered.
    func commit(_ id: ReservationID) async throws

    /// Forgets the call as if it had never been made: it was refused, failed or got no answer.
    func rollback(_ id: ReservationID) async throws
}
