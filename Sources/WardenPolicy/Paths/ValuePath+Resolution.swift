public import WardenJSON

extension ValuePath {
    /// What resolving a path in a call gives: the value (nil when absent), or why it cannot be read.
    enum Resolution {
        case value(JSONValue?)
        case unreadable(Unjudgeable.Cause)
    }

    /// The value at this path in `call`, or nil when it is absent; JSON `null` counts as absent.
    ///
    /// A path runs through a string holding a JSON object or array into the parsed JSON, as the Python SDK parses
    /// such a string for a parameter that is not a string. Nil too when that JSON cannot be read.
    /// `category` reads the call's category as given; `CompiledPolicy` fills it in from the policy or the classifier.
    public func value(in call: ToolCall) -> JSONValue? {
        guard case .value(let value) = resolve(in: call, category: call.category) else { return nil }
        return value
    }

    func resolve(in call: ToolCall, category: ToolCategory?) -> Resolution {
        let found: JSONValue?
        switch root.base {
        case .args:
            switch Self.walk(call.arguments, steps: steps) {
            case .value(let value): found = value
            case .unreadable(let cause): return .unreadable(cause)
            }
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
        if case .null = found { return .value(nil) }
        return .value(found)
    }

    /// Follows `steps` from `value`; keys match by Unicode scalars, never by canonical equivalence.
    private static func walk(_ value: JSONValue, steps: [Step]) -> Resolution {
        var current = value
        for step in steps {
            if case .string(let text) = current {
                switch LenientValue.container(in: text) {
                case .notJSON: return .value(nil)
                case .unreadable(let cause): return .unreadable(cause)
                case .value(let parsed): current = parsed
                }
            }
            switch (step, current) {
            case (.key(let key), .object(let object)):
                guard let next = LenientValue.member(of: object, named: key) else { return .value(nil) }
                current = next
            case (.index(let index), .array(let array)):
                guard index < array.count else { return .value(nil) }
                current = array[index]
            default:
                return .value(nil)
            }
        }
        return .value(current)
    }
}
