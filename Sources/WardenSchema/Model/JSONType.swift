import WardenJSON

/// The seven type names of JSON Schema's `type` keyword, checked strictly: the string `"1200"` is not a number.
enum JSONType: String, Hashable, Sendable, CaseIterable {
    case null, boolean, object, array, number, integer, string

    /// The type a value has for messages; numbers are `number` whether or not they are whole.
    init(of value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool: self = .boolean
        case .object: self = .object
        case .array: self = .array
        case .number: self = .number
        case .string: self = .string
        }
    }

    /// Whether `value` has this type; an integer is a number with no fractional part, so `1.0` is one.
    func admits(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.number, .number), (.string, .string):
            true
        case (.integer, .number(let number)):
            number.isInteger
        default:
            false
        }
    }
}
