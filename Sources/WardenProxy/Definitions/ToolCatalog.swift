public import WardenJSON
import WardenPolicy
import Synchronization

/// The tools of one `tools/list` page, classified, compiled and checked once per distinct page and shared by every
/// session that sees it: a gateway's sessions list the same tools again and again.
///
/// Keyed by the page's hash and checked by equality, so two pages never share an entry by accident. Holds at most
/// `capacity` pages; the oldest is dropped first.
public final class ToolCatalog: Sendable {
    /// The one catalogue of the process.
    public static let shared = ToolCatalog(capacity: 64)

    private struct Key: Hashable {
        var tools: [JSONValue]
        var strictFormats: Bool
    }

    private struct State {
        var entries: [Key: [ListedTool]] = [:]
        var order: [Key] = []
    }

    private let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Every entry of `tools` that has a string name, in listed order.
    public func tools(of tools: [JSONValue], strictFormats: Bool) -> [ListedTool] {
        let key = Key(tools: tools, strictFormats: strictFormats)
        if let found = state.withLock({ $0.entries[key] }) { return found }
        let listed = tools.compactMap { entry in
            ToolDefinition(json: entry).map { ListedTool(definition: entry, tool: $0, strictFormats: strictFormats) }
        }
        state.withLock { state in
            guard state.entries[key] == nil else { return }
            state.entries[key] = listed
            state.order.append(key)
            while state.order.count > capacity { state.entries[state.order.removeFirst()] = nil }
        }
        return listed
    }

    /// How many pages are held, for tests.
    public var count: Int { state.withLock { $0.order.count } }
}
