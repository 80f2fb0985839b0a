public import WardenJSON

/// A JSON type a `type:` test can ask for.
public struct ValueType: Hashable, Sendable, CustomStringConvertible {
    enum Base: String, Hashable, Sendable, CaseIterable {
        case string, number, integer, boolean, array, object
    }

    let base: Base

    init(_ base: Base) { self.base = base }

    public static let string = ValueType(.string)
    /// Any number, whole or not.
    public static let number = ValueType(.number)
    /// A number with no fractional part (`3`, `3.0`).
    public static let integer = ValueType(.integer)
    public static let boolean = ValueType(.boolean)
    public static let array = ValueType(.array)
    public static let object = ValueType(.object)

    /// Every type, in the order the docs list them.
    public static let all: [ValueType] = Base.allCases.map(ValueType.init)

    /// Reads the spelling used in policy files.
    public init?(name: String) {
        guard let base = Base(rawValue: name) else { return nil }
        self.base = base
    }

    public var description: String { base.rawValue }

    /// Whether `value` is of this type.
    public func contains(_ value: JSONValue) -> Bool {
        switch (base, value) {
        case (.string, .string), (.number, .number), (.boolean, .bool), (.array, .array), (.object, .object): true
        case (.integer, .number(let number)): number.value.isFinite && number.value == number.value.rounded()
        default: false
        }
    }

    /// The type's name for `value`, for explanations ("it is a string").
    static func name(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
