public import WardenPolicy
public import WardenStore

/// The pin store, opened on first use (see `RetryingOpener`).
public final class LazyPinStore: PinStore {
    private let store: RetryingOpener<any PinStore>

    public init(open: @escaping @Sendable () throws(StoreError) -> any PinStore) {
        store = RetryingOpener(open)
    }

    public func observe(server: String, tools: [PinObservation], holdNew: Bool, at time: Timestamp) throws(StoreError)
        -> [PinVerdict]
    {
        try store.get().observe(server: server, tools: tools, holdNew: holdNew, at: time)
    }

    public func list(server: String?) throws(StoreError) -> [PinRecord] { try store.get().list(server: server) }

    public func get(server: String, tool: String) throws(StoreError) -> PinRecord? { try store.get().get(server: server, tool: tool) }

    public func accept(server: String, tool: String, by person: String, at time: Timestamp) throws(StoreError) -> PinRecord? {
        try store.get().accept(server: server, tool: tool, by: person, at: time)
    }

    public func acceptAll(server: String, by person: String, at time: Timestamp) throws(StoreError) -> [PinRecord] {
        try store.get().acceptAll(server: server, by: person, at: time)
    }
}
