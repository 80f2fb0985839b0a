public import WardenJSON

extension ValuePath {
    /// The value at this path in `call`, or nil when it is absent; JSON `null` counts as absent.
    ///
    /// `category` reads the call's category as given; `CompiledPolicy` fills it in from the policy or the classifier.
    public func value(in call: ToolCall) -> JSONValue? {
        value(in: call, category: call.category)
    }

    func value(in call: ToolCall, category: ToolCategory?) -> JSONValue? {
        let found: JSONValue?
        switch root.base {
        case .args:
            found = Self.walk(call.arguments, steps: steps)
        case .agentID:
            found = call.agentID.map { .string($0) }
        case .agentGroups:
            found = .array(call.agentGroups.map { .string($0) })
        case .sessionID:
            found = call.sessionID.map { .string($0) }
        case .clientName:
            found = call.clientName.map { .string($0) }
        case .tool:
            found = .string(call.tool)
        case .server:
            found = call.server.map { .string($0) }
        case .category:
            found = category.map { .string($0.description) }
        case .timeHour:
            found = .number(JSONNumber(call.time.hourUTC))
        case .timeWeekday:
            found = .string(call.time.weekdayUTC)
        }
        if case .null = found { return nil }
        return found
    }

    private static func walk(_ value: JSONValue, steps: [Step]) -> JSONValue? {
        var current = value
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object(let object)):
                guard let next = object[key] else { return nil }
                current = next
            case (.index(let index), .array(let array)):
                guard index < array.count else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }
}
