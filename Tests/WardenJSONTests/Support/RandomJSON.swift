import WardenTesting
import WardenJSON

/// Builds random JSON values and texts for property tests.
struct RandomJSON {
    var random: SplitMix

    init(seed: UInt64) { random = SplitMix(seed: seed) }

    /// A value nested at most `depth` levels, with strings that need every kind of escape.
    mutating func value(depth: Int) -> JSONValue {
        let choice = Int.random(in: 0..<(depth > 0 ? 8 : 5), using: &random)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(JSONNumber(literal: numberLiteral()))
        case 3, 4: return .string(string())
        case 5:
            return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth: depth - 1) })
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                object[string()] = value(depth: depth - 1)
            }
            return .object(object)
        }
    }

    /// A literal from every branch of the number grammar.
    mutating func numberLiteral() -> String {
        var text = Bool.random(using: &random) ? "-" : ""
        if Int.random(in: 0..<4, using: &random) == 0 {
            text += "0"
        } else {
            text += String(Int.random(in: 1...9, using: &random))
            for _ in 0..<Int.random(in: 0...20, using: &random) { text += String(Int.random(in: 0...9, using: &random)) }
        }
        if Bool.random(using: &random) {
            text += "."
            for _ in 0...Int.random(in: 0...5, using: &random) { text += String(Int.random(in: 0...9, using: &random)) }
        }
        if Int.random(in: 0..<3, using: &random) == 0 {
            text += ["e", "E"].randomElement(using: &random)! + ["", "+", "-"].randomElement(using: &random)!
            text += String(Int.random(in: 0...400, using: &random))
        }
        return text
    }

    /// A short string mixing ASCII, quotes, backslashes, control characters and multi-byte scalars.
    mutating func string() -> String {
        let pieces: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "€", "😀", "\u{FFFD}", "key"]
        var text = ""
        for _ in 0..<Int.random(in: 0...6, using: &random) { text += pieces.randomElement(using: &random)! }
        return text
    }

    /// Valid JSON text for `value` with random whitespace between tokens, escapes where plain bytes would do.
    mutating func text(for value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, into: &output)
        return output
    }

    private mutating func whitespace(into output: inout [UInt8]) {
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            output.append([0x20, 0x09, 0x0A, 0x0D].randomElement(using: &random)!)
        }
    }

    private mutating func write(_ value: JSONValue, into output: inout [UInt8]) {
        whitespace(into: &output)
        switch value {
        case .string(let string):
            writeString(string, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            whitespace(into: &output)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                whitespace(into: &output)
                writeString(member.key, into: &output)
                whitespace(into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, into: &output)
            }
            whitespace(into: &output)
            output.append(UInt8(ascii: "}"))
        default:
            value.encode(into: &output)
        }
        whitespace(into: &output)
    }

    /// Writes a string, escaping some scalars with `\u` (surrogate pairs above the BMP) that need no escape.
    private mutating func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for scalar in string.unicodeScalars {
            if scalar.value < 0x20 || scalar == "\"" || scalar == "\\" || Int.random(in: 0..<4, using: &random) == 0 {
                for unit in String(scalar).utf16 {
                    output.append(contentsOf: "\\u".utf8)
                    let hex = String(unit, radix: 16, uppercase: Bool.random(using: &random))
                    output.append(contentsOf: (String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
            } else if scalar == "/" && Bool.random(using: &random) {
                output.append(contentsOf: "\\/".utf8)
            } else {
                output.append(contentsOf: String(scalar).utf8)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// `bytes` changed in one random place: a byte replaced, inserted or removed, or the text cut short.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let interesting: [UInt8] = Array("{}[],:\"\\ 0-.eE+tfnu\n".utf8) + [0x00, 0x1F, 0x80, 0xC0, 0xE2, 0xED, 0xF0, 0xF5, 0xFF]
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0 where !bytes.isEmpty: bytes[position] = interesting.randomElement(using: &random)!
        case 1: bytes.insert(interesting.randomElement(using: &random)!, at: position)
        case 2 where !bytes.isEmpty: bytes.remove(at: position)
        default: bytes.removeLast(bytes.count - position)
        }
        return bytes
    }
}
