import Synchronization
import WardenStore

/// Opens a store on first use and keeps it; an opening that fails fails that use, and the next use tries again.
///
/// A policy that never needs a store never creates its database file, and a store that becomes reachable later
/// is used without a restart.
final class RetryingOpener<Store: Sendable>: Sendable {
    private let open: @Sendable () throws(StoreError) -> Store
    private let store = Mutex<Store?>(nil)

    init(_ open: @escaping @Sendable () throws(StoreError) -> Store) {
        self.open = open
    }

    func get() throws(StoreError) -> Store {
        if let existing = store.withLock({ $0 }) { return existing }
        let created = try open()
        return store.withLock { current in
            if let current { return current }
            current = created
            return created
        }
    }

    /// The store if it was opened, without opening it.
    var opened: Store? { store.withLock { $0 } }
}
