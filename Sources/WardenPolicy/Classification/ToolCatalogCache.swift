public import WardenJSON
import Synchronization

/// The classifier's verdicts on a whole `tools/list`, computed once per distinct list and shared by every session
/// that sees it: a gateway's sessions list the same tools again and again.
///
/// Keyed by the list's hash and checked by equality, so two lists never share an entry by accident. Holds at most
/// `capacity` lists; the oldest is dropped first.
public final class ToolCatalogCache: Sendable {
    /// The one cache of the process.
    public static let shared = ToolCatalogCache(capacity: 64)

    private struct Entry {
        var tools: [JSONValue]
        var assessments: [ToolAssessment]
    }

    private struct State {
        var entries: [Int: [Entry]] = [:]
        var order: [Int] = []
    }

    private let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The assessment of every entry of `tools` that has a string name, in listed order.
    public func assessments(of tools: [JSONValue]) -> [ToolAssessment] {
        var hasher = Hasher()
        hasher.combine(tools)
        let key = hasher.finalize()
        if let found = state.withLock({ $0.entries[key]?.first(where: { $0.tools == tools })?.assessments }) { return found }
        let assessments = tools.compactMap(ToolDefinition.init(json:)).map { ToolClassifier.assess($0) }
        state.withLock { state in
            state.entries[key, default: []].append(Entry(tools: tools, assessments: assessments))
            state.order.append(key)
            while state.order.count > capacity {
                let oldest = state.order.removeFirst()
                state.entries[oldest]?.removeFirst()
                if state.entries[oldest]?.isEmpty == true { state.entries[oldest] = nil }
            }
        }
        return assessments
    }

    /// How many lists are held, for tests.
    public var count: Int { state.withLock { $0.order.count } }
}
