import WardenJSON
import Yams

extension PolicyReader {
    /// A YAML value as JSON: maps become objects, lists arrays, and scalars follow the YAML 1.2 core schema.
    mutating func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return Self.resolve(scalar)
        case .sequence(let sequence):
            return .array(sequence.map { json($0) })
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key else {
                    fail(.wrongType, at: key, "a key in a JSON value must be text, not \(Self.shape(of: key))")
                    continue
                }
                object[scalar.string] = json(value)
            }
            return .object(object)
        case .alias:
            return .null
        }
    }

    /// A scalar's value: quoted text stays text; plain text is null, a boolean, a number or text, as in YAML 1.2.
    ///
    /// So `eq: 5` compares with the number 5 and `eq: "5"` with the text "5", and `yes`/`no` stay text.
    static func resolve(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        guard scalar.style == .plain else { return .string(text) }
        // An explicit `!!str` keeps text as text; Warden reads every other plain scalar by the core schema.
        if scalar.tag.rawValue == "tag:yaml.org,2002:str" { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .number(JSONNumber(Double.infinity))
        case "-.inf", "-.Inf", "-.INF": return .number(JSONNumber(-Double.infinity))
        case ".nan", ".NaN", ".NAN": return .number(JSONNumber(Double.nan))
        default: break
        }
        if let number = number(in: text) { return .number(number) }
        return .string(text)
    }

    /// A plain scalar read as a YAML 1.2 core integer (decimal, `0x…`, `0o…`) or float, or nil.
    private static func number(in text: String) -> JSONNumber? {
        let utf8 = Array(text.utf8)
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if text.hasPrefix("0x"), utf8.count > 2, let value = Int(text.dropFirst(2), radix: 16) { return JSONNumber(value) }
        if text.hasPrefix("0o"), utf8.count > 2, let value = Int(text.dropFirst(2), radix: 8) { return JSONNumber(value) }
        var i = 0
        if i < utf8.count, utf8[i] == UInt8(ascii: "-") || utf8[i] == UInt8(ascii: "+") { i += 1 }
        let integerStart = i
        while i < utf8.count, isDigit(utf8[i]) { i += 1 }
        let integerDigits = i - integerStart
        if i == utf8.count {
            guard integerDigits > 0 else { return nil }
            if let value = Int(text) { return JSONNumber(value) }
            return Double(text).map { JSONNumber($0) }
        }
        var fractionDigits = 0
        if utf8[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < utf8.count, isDigit(utf8[i]) { i += 1 }
            fractionDigits = i - fractionStart
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return nil }
        if i < utf8.count, utf8[i] == UInt8(ascii: "e") || utf8[i] == UInt8(ascii: "E") {
            i += 1
            if i < utf8.count, utf8[i] == UInt8(ascii: "-") || utf8[i] == UInt8(ascii: "+") { i += 1 }
            let exponentStart = i
            while i < utf8.count, isDigit(utf8[i]) { i += 1 }
            guard i > exponentStart else { return nil }
        }
        guard i == utf8.count else { return nil }
        if isJSONNumber(utf8) { return JSONNumber(literal: text) }
        // Valid YAML but not JSON spelling (`+1.5`, `.5`, `1.`): keep the value, let JSON spell it.
        var normalized = text
        if normalized.hasPrefix("+") { normalized.removeFirst() }
        if normalized.hasPrefix(".") { normalized = "0" + normalized }
        if normalized.hasPrefix("-.") { normalized = "-0" + normalized.dropFirst() }
        normalized = normalized.replacingDotBeforeExponent()
        return Double(normalized).map { JSONNumber($0) }
    }

    /// Whether the bytes follow JSON's number grammar, so the literal can be kept as written.
    private static func isJSONNumber(_ utf8: [UInt8]) -> Bool {
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var i = 0
        if i < utf8.count, utf8[i] == UInt8(ascii: "-") { i += 1 }
        guard i < utf8.count, isDigit(utf8[i]) else { return false }
        if utf8[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < utf8.count, isDigit(utf8[i]) { i += 1 }
        }
        if i < utf8.count, utf8[i] == UInt8(ascii: ".") {
            i += 1
            guard i < utf8.count, isDigit(utf8[i]) else { return false }
            while i < utf8.count, isDigit(utf8[i]) { i += 1 }
        }
        if i < utf8.count, utf8[i] == UInt8(ascii: "e") || utf8[i] == UInt8(ascii: "E") {
            i += 1
            if i < utf8.count, utf8[i] == UInt8(ascii: "-") || utf8[i] == UInt8(ascii: "+") { i += 1 }
            guard i < utf8.count, isDigit(utf8[i]) else { return false }
            while i < utf8.count, isDigit(utf8[i]) { i += 1 }
        }
        return i == utf8.count
    }
}

extension String {
    /// `1.e5` → `1e5` and a trailing `1.` → `1`, which Swift's number parser may not accept.
    fileprivate func replacingDotBeforeExponent() -> String {
        var result = ""
        var previous: Character?
        for character in self {
            if previous == ".", character == "e" || character == "E" { result.removeLast() }
            result.append(character)
            previous = character
        }
        if result.hasSuffix(".") { result.removeLast() }
        return result
    }
}
