public import WardenJSON

/// Edits `tools/list` results.
public enum ToolList {
    /// `result` without the tools whose names `isHidden` accepts, and the names it removed, in listed order.
    ///
    /// Every other member (`nextCursor`, `ttlMs`, `_meta`, members of future revisions) and every kept tool stays as it
    /// was. One exception: when a tool was removed and the result has a `cacheScope`, it becomes `"private"`, because a
    /// list filtered per agent must not be cached and served to another (2026-07-28 caching rules). A scope is never
    /// widened. A result without a `tools` array, and tools without a string `name`, are left alone.
    public static func filter(result: JSONValue, isHidden: (String) -> Bool) -> (result: JSONValue, removed: [String]) {
        guard case .object(var object) = result, case .array(let tools)? = object["tools"] else { return (result, []) }
        var kept: [JSONValue] = []
        kept.reserveCapacity(tools.count)
        var removed: [String] = []
        for tool in tools {
            if let name = tool["name"]?.stringValue, isHidden(name) {
                removed.append(name)
            } else {
                kept.append(tool)
            }
        }
        guard !removed.isEmpty else { return (result, []) }
        object["tools"] = .array(kept)
        if object["cacheScope"] != nil { object["cacheScope"] = "private" }
        return (.object(object), removed)
    }
}
