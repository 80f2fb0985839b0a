import WardenJSON

/// Schema values written into messages: strings as they are, anything else as JSON, long lists and values cut.
///
/// Only values from the schema are written this way; argument values never appear in a message.
enum ValueText {
    static func describe(_ value: JSONValue) -> String {
        let text = value.stringValue ?? value.encodedString
        return text.unicodeScalars.count <= 60 ? text : String(text.unicodeScalars.prefix(57)) + "…"
    }

    /// `a, b, c`, or the first ten and how many more.
    static func list(_ values: [JSONValue]) -> String {
        let shown = values.prefix(10).map(describe).joined(separator: ", ")
        return values.count > 10 ? shown + " (and \(values.count - 10) more)" : shown
    }

    /// A property name from the arguments in backticks, with control characters escaped so it cannot break a line.
    static func name(_ key: String) -> String {
        var text = "`"
        for scalar in key.unicodeScalars.prefix(80) {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) || scalar == "`" {
                text += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text + (key.unicodeScalars.count > 80 ? "…`" : "`")
    }
}
