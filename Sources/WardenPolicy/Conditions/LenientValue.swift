public import WardenJSON

/// How a lenient server reads a value whose encoding the agent chose, so that conditions judge what will run.
///
/// The Python SDK parses a string argument as JSON when the parameter is not a string, then validates it with
/// pydantic in lax mode: `"1200"` becomes 1200.0, `"yes"` becomes `True`, `"{\"force\": true}"` becomes an object,
/// and `true` is 1 for a number parameter. Warden cannot know the parameter's type, so a test reads the value the
/// way its operand asks for: a number operand reads a number, a boolean operand a boolean.
public enum LenientValue {
    /// The largest string Warden parses as JSON when a path or a test runs through it: 1 MiB of UTF-8.
    ///
    /// A longer string a path must enter cannot be judged, and the call is denied.
    public static let jsonStringLimit = 1 << 20

    /// The deepest nesting read from JSON inside a string.
    static let jsonStringDepth = 64

    /// The number `value` is read as: itself, a string holding a number, `true`/`false` as 1/0, else nil.
    public static func number(_ value: JSONValue) -> JSONNumber? {
        switch value {
        case .number(let number): return number
        case .bool(let flag): return JSONNumber(flag ? 1 : 0)
        case .string(let text):
            if let number = LenientNumber.read(text) { return number }
            // A string holding the JSON literal `true` or `false` is parsed into a boolean first.
            return jsonBoolean(text).map { JSONNumber($0 ? 1 : 0) }
        default: return nil
        }
    }

    /// The boolean `value` is read as: itself, the numbers 0 and 1, or a spelling such as `"yes"` or `"off"`.
    public static func boolean(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .number(let number):
            if number == zero { return false }
            if number == one { return true }
            return nil
        case .string(let text): return booleanSpelling(text)
        default: return nil
        }
    }

    private static let zero = JSONNumber(0)
    private static let one = JSONNumber(1)

    /// `true`, `yes`, `on`, `1`, `t`, `y` and their opposites, in any case, with surrounding whitespace.
    static func booleanSpelling(_ text: String) -> Bool? {
        let word = trimmed(text)
        guard !word.isEmpty, word.count <= 5 else { return nil }
        var lowered: [UInt8] = []
        for byte in word {
            guard byte < 0x80 else { return nil }
            lowered.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
        }
        switch String(decoding: lowered, as: UTF8.self) {
        case "true", "yes", "on", "1", "t", "y": return true
        case "false", "no", "off", "0", "f", "n": return false
        default: return nil
        }
    }

    /// The JSON literal `true` or `false`, alone but for whitespace.
    private static func jsonBoolean(_ text: String) -> Bool? {
        let word = trimmed(text)
        if word.elementsEqual("true".utf8) { return true }
        if word.elementsEqual("false".utf8) { return false }
        return nil
    }

    /// The UTF-8 of `text` without leading and trailing whitespace.
    private static func trimmed(_ text: String) -> Substring.UTF8View {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !LenientNumber.isSpace($0) }),
            let last = scalars.lastIndex(where: { !LenientNumber.isSpace($0) })
        else { return Substring().utf8 }
        return Substring(scalars[start...last]).utf8
    }

    /// Whether `text` starts, after whitespace, with `{` or `[`: text a lenient server parses as JSON.
    static func looksLikeJSONContainer(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first(where: { !LenientNumber.isSpace($0) }) else { return false }
        return first == "{" || first == "["
    }

    /// What reading a string as the JSON container it holds gives.
    enum ContainerReading {
        /// The string does not hold an object or an array.
        case notJSON
        case value(JSONValue)
        /// The string looks like JSON but Warden cannot read it within its limits; a server might.
        case unreadable(Unjudgeable.Cause)
    }

    /// The object or array `text` holds as JSON text.
    static func container(in text: String) -> ContainerReading {
        guard looksLikeJSONContainer(text) else { return .notJSON }
        let length = text.utf8.count
        guard length <= jsonStringLimit else { return .unreadable(.jsonTooLong(bytes: length, limit: jsonStringLimit)) }
        do {
            // The server parses it with a JSON reader too: numbers in it are judged as readers read them.
            return .value(try JSONParser.parse(text, maxDepth: jsonStringDepth).readAsServersDo())
        } catch let error as JSONParseError {
            return .unreadable(.unreadableJSON(error.description))
        } catch {
            return .unreadable(.unreadableJSON("\(error)"))
        }
    }

    /// Whether `value` equals `operand` as a lenient server reads `value` for a parameter of `operand`'s type.
    ///
    /// Strings compare by Unicode scalars, never by canonical equivalence: `"\u{212A}ey"` (Kelvin sign) is not
    /// `"Key"`. Numbers compare exactly. Object keys compare by scalars, in any order.
    static func equals(_ value: JSONValue, _ operand: JSONValue) -> Bool {
        switch operand {
        case .number(let expected):
            guard let number = Self.number(value) else { return false }
            return order(number, expected) == 0
        case .bool(let expected):
            return boolean(value) == expected
        case .string(let expected):
            guard case .string(let text) = value else { return false }
            return sameScalars(text, expected)
        case .null:
            return value.isNull
        case .array(let expected):
            switch value {
            case .array(let elements):
                return elements.count == expected.count && zip(elements, expected).allSatisfy { equals($0, $1) }
            case .string(let text):
                guard case .value(let parsed) = Self.container(in: text), case .array = parsed else { return false }
                return equals(parsed, operand)
            default:
                return false
            }
        case .object(let expected):
            switch value {
            case .object(let object):
                guard object.count == expected.count else { return false }
                for entry in expected.members {
                    guard let found = Self.member(of: object, named: entry.key), equals(found, entry.value) else { return false }
                }
                return true
            case .string(let text):
                guard case .value(let parsed) = Self.container(in: text), case .object = parsed else { return false }
                return equals(parsed, operand)
            default:
                return false
            }
        }
    }

    /// How `lhs` compares with `rhs` exactly: -1, 0 or 1, or nil when either is NaN.
    ///
    /// Rounding to `Double` never reverses an order, so when the nearest doubles differ they decide, without
    /// taking the literals apart; only numbers whose doubles are equal (or NaN) are compared digit by digit.
    static func order(_ lhs: JSONNumber, _ rhs: JSONNumber) -> Int? {
        if lhs.value < rhs.value { return -1 }
        if lhs.value > rhs.value { return 1 }
        if lhs == rhs { return 0 }
        if lhs < rhs { return -1 }
        return rhs < lhs ? 1 : nil
    }

    /// The length in bytes of a string in `value` (or among its elements) that may hold a number but is too long to
    /// read as one; nil when there is none.
    static func tooLongNumberText(in value: JSONValue) -> Int? {
        func length(_ value: JSONValue) -> Int? {
            guard case .string(let text) = value else { return nil }
            let bytes = text.utf8.count
            return bytes > LenientNumber.textLimit && LenientNumber.mayHoldNumber(text) ? bytes : nil
        }
        if case .array(let elements) = value {
            for element in elements { if let bytes = length(element) { return bytes } }
            return nil
        }
        return length(value)
    }

    /// Why a string in `value` (or among its elements) that holds a number cannot be read as one number: servers
    /// read it differently (an integer beyond what a double holds exactly); nil when there is none.
    static func ambiguousNumberText(in value: JSONValue) -> String? {
        func problem(_ value: JSONValue) -> String? {
            guard case .string(let text) = value, LenientNumber.mayHoldNumber(text), let number = LenientNumber.readExactly(text),
                number.literal != "null", case .ambiguous(let reason) = number.reading
            else { return nil }
            return reason
        }
        if case .array(let elements) = value {
            for element in elements { if let found = problem(element) { return found } }
            return nil
        }
        return problem(value)
    }

    /// The value of the member named exactly `key` (Unicode scalar by scalar); the last one, as Python keeps.
    static func member(of object: JSONObject, named key: String) -> JSONValue? {
        var index = object.members.endIndex
        while index > object.members.startIndex {
            index -= 1
            if sameScalars(object.members[index].key, key) { return object.members[index].value }
        }
        return nil
    }

    /// Whether two strings hold the same Unicode scalars; Swift's `==` would also equate canonically equivalent ones.
    static func sameScalars(_ lhs: String, _ rhs: String) -> Bool {
        let (left, right) = (lhs.utf8, rhs.utf8)
        return left.count == right.count && left.elementsEqual(right)
    }
}
