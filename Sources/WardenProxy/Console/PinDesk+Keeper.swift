extension PinDesk {
    /// The desk over the store and audit trail the process's sessions pin with, so an acceptance here is the one
    /// they see on their next check.
    public convenience init(keeper: PinKeeper) {
        self.init(pins: keeper.store, audit: keeper.audit)
    }
}
