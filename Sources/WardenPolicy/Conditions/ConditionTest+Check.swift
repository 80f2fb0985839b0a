import WardenJSON

extension ConditionTest.Check {
    /// The positive test on a present value, read as a lenient server reads it; a value of the wrong type fails.
    func holds(for value: JSONValue) -> Bool {
        switch self {
        case .equals(let expected):
            return LenientValue.equals(value, expected)
        case .isIn(let values):
            for expected in values where LenientValue.equals(value, expected) { return true }
            return false
        case .less(let bound, let orEqual):
            guard let order = Self.compare(value, bound) else { return false }
            return order < 0 || (orEqual && order == 0)
        case .greater(let bound, let orEqual):
            guard let order = Self.compare(value, bound) else { return false }
            return order > 0 || (orEqual && order == 0)
        case .matches(let pattern):
            guard case .string(let text) = value else { return false }
            return pattern.matches(text)
        case .startsWith(let prefix):
            guard case .string(let text) = value else { return false }
            return text.utf8.starts(with: prefix.utf8)
        case .endsWith(let suffix):
            guard case .string(let text) = value else { return false }
            let bytes = text.utf8
            let suffixBytes = suffix.utf8
            guard bytes.count >= suffixBytes.count else { return false }
            return bytes.dropFirst(bytes.count - suffixBytes.count).elementsEqual(suffixBytes)
        case .contains(let needle, let finder):
            switch value {
            case .string(let text):
                if let finder, finder.occurs(in: text) { return true }
                // A string holding a JSON array is the array to a server that parses it.
                guard case .value(.array(let elements)) = LenientValue.container(in: text) else { return false }
                return elements.contains { LenientValue.equals($0, needle) }
            case .array(let elements):
                return elements.contains { LenientValue.equals($0, needle) }
            default:
                return false
            }
        case .exists:
            return true
        case .maxLength(let limit):
            switch value {
            // Python's len counts code points; a string has no more of them than bytes of UTF-8.
            case .string(let text): return text.utf8.count <= limit || text.unicodeScalars.count <= limit
            case .array(let elements): return elements.count <= limit
            default: return false
            }
        case .type(let type):
            return type.contains(value)
        }
    }

    /// Orders a value against a bound: numbers exactly (a string or boolean read as the number a lenient server
    /// makes of it), two strings by Unicode scalars; nil when they do not compare, and for NaN.
    static func compare(_ value: JSONValue, _ bound: JSONValue) -> Int? {
        switch bound {
        case .number(let limit):
            if case .number(let number) = value { return LenientValue.order(number, limit) }
            guard let number = LenientValue.number(value) else { return nil }
            return LenientValue.order(number, limit)
        case .string(let limit):
            guard case .string(let text) = value else { return nil }
            // UTF-8 orders byte by byte as the scalars it encodes do.
            var left = text.utf8.makeIterator()
            var right = limit.utf8.makeIterator()
            while true {
                switch (left.next(), right.next()) {
                case (nil, nil): return 0
                case (nil, _): return -1
                case (_, nil): return 1
                case (let a?, let b?): if a != b { return a < b ? -1 : 1 }
                }
            }
        default:
            return nil
        }
    }
}
