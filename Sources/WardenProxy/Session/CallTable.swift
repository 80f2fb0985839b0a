import WardenJSON
import WardenMCP

/// Every request of one downstream that Warden has accepted and not yet finished, under Warden's own keys.
///
/// Two indexes find a call: the client's id, while the client waits for the answer (an id in use is refused for a
/// second request, before any decision), and the upstream id, while the server owes an answer. The upstream id is
/// the client's own unless the server still owes an answer under that id to an older, abandoned call: then the new
/// call goes up under an id Warden makes, so the late answer cannot be mistaken for the new one.
struct CallTable {
    struct Entry {
        let clientID: JSONRPCID
        /// The id the server sees; set when the call is forwarded.
        var upstreamID: JSONRPCID?
        var state: CallState
    }

    /// How many abandoned calls are remembered; past it the oldest is forgotten and its late answer dropped as unknown.
    static let abandonedLimit = 4096

    private(set) var entries: [CallKey: Entry] = [:]
    private var byClientID: [JSONRPCID: CallKey] = [:]
    private var byUpstreamID: [JSONRPCID: CallKey] = [:]
    private var abandonedOrder: [CallKey] = []
    private var nextKey: UInt64 = 1
    private var nextUpstreamID = 1

    /// Requests the client still waits for.
    var inflightCount: Int { byClientID.count }

    /// Whether the client has a request in flight under `id`.
    func isInUse(_ id: JSONRPCID) -> Bool { byClientID[id] != nil }

    /// Accepts a new request; nil when the client already has one in flight under the same id.
    mutating func open(clientID: JSONRPCID, state: (CallKey) -> CallState) -> CallKey? {
        guard byClientID[clientID] == nil else { return nil }
        let key = CallKey(rawValue: nextKey)
        nextKey += 1
        entries[key] = Entry(clientID: clientID, state: state(key))
        byClientID[clientID] = key
        return key
    }

    subscript(key: CallKey) -> Entry? { entries[key] }

    func key(forClientID id: JSONRPCID) -> CallKey? { byClientID[id] }

    func key(forUpstreamID id: JSONRPCID) -> CallKey? { byUpstreamID[id] }

    mutating func update(_ key: CallKey, to state: CallState) {
        entries[key]?.state = state
    }

    /// Marks the call sent upstream and returns the id it goes up under.
    mutating func markForwarded(_ key: CallKey, _ call: ForwardedCall) -> JSONRPCID? {
        guard var entry = entries[key] else { return nil }
        var upstreamID = entry.clientID
        if byUpstreamID[upstreamID] != nil {
            repeat {
                upstreamID = JSONRPCID(.string("warden-call-\(nextUpstreamID)"))!
                nextUpstreamID += 1
            } while byUpstreamID[upstreamID] != nil
        }
        entry.upstreamID = upstreamID
        entry.state = .forwarded(call)
        entries[key] = entry
        byUpstreamID[upstreamID] = key
        return upstreamID
    }

    /// Opens a request Warden itself sends upstream, under an id no call of the client uses upstream. It has no
    /// client id: the client never sees its answer.
    mutating func openOwn(_ call: ForwardedCall) -> (CallKey, JSONRPCID) {
        let key = CallKey(rawValue: nextKey)
        nextKey += 1
        var upstreamID: JSONRPCID
        repeat {
            upstreamID = JSONRPCID(.string("warden-own-\(nextUpstreamID)"))!
            nextUpstreamID += 1
        } while byUpstreamID[upstreamID] != nil
        entries[key] = Entry(clientID: upstreamID, upstreamID: upstreamID, state: .forwarded(call))
        byUpstreamID[upstreamID] = key
        return (key, upstreamID)
    }

    /// The client has its answer, but the server may still send one: free the client's id, keep the upstream one.
    mutating func abandon(_ key: CallKey, _ call: ForwardedCall) {
        guard let entry = entries[key] else { return }
        if byClientID[entry.clientID] == key { byClientID[entry.clientID] = nil }
        guard entry.upstreamID != nil else {
            entries[key] = nil
            return
        }
        entries[key]?.state = .abandoned(call)
        abandonedOrder.append(key)
        if abandonedOrder.count > Self.abandonedLimit {
            let oldest = abandonedOrder.removeFirst()
            if case .abandoned = entries[oldest]?.state { finish(oldest) }
        }
    }

    /// Forgets the call entirely.
    @discardableResult
    mutating func finish(_ key: CallKey) -> Entry? {
        guard let entry = entries.removeValue(forKey: key) else { return nil }
        if byClientID[entry.clientID] == key { byClientID[entry.clientID] = nil }
        if let upstreamID = entry.upstreamID, byUpstreamID[upstreamID] == key { byUpstreamID[upstreamID] = nil }
        if case .abandoned = entry.state, let index = abandonedOrder.firstIndex(of: key) { abandonedOrder.remove(at: index) }
        return entry
    }

    /// Every call the server owes an answer, oldest first.
    var upstreamOwed: [CallKey] { byUpstreamID.values.sorted() }

    /// Every call still on the client's side of the table (admitting, held or forwarded), oldest first.
    var clientWaiting: [CallKey] { byClientID.values.sorted() }
}
