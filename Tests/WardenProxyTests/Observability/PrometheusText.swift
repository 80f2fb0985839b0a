/// The Prometheus text exposition format (0.0.4) read back into families and samples, strictly enough that a
/// malformed line fails the test that scraped it.
struct PrometheusText {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct FormatError: Error, CustomStringConvertible {
        var line: String
        var problem: String
        var description: String { "\(problem): \(line)" }
    }

    /// The declared type of each family (`counter`, `gauge`, `histogram`, …) by name.
    var types: [String: String] = [:]
    var help: [String: String] = [:]
    var samples: [Sample] = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# TYPE ") || line.hasPrefix("# HELP ") {
                let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1)
                guard parts.count == 2 else { throw FormatError(line: String(line), problem: "comment without name and text") }
                if line.hasPrefix("# TYPE ") {
                    guard types[String(parts[0])] == nil else { throw FormatError(line: String(line), problem: "second TYPE line") }
                    types[String(parts[0])] = String(parts[1])
                } else {
                    help[String(parts[0])] = String(parts[1])
                }
                continue
            }
            if line.hasPrefix("#") { continue }
            samples.append(try Self.sample(line))
        }
        for sample in samples where family(of: sample.name) == nil {
            throw FormatError(line: sample.name, problem: "sample without a TYPE line")
        }
    }

    /// The family a sample belongs to: its own name, or the name without a histogram or summary suffix.
    func family(of name: String) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return nil
    }

    /// The value of the sample with exactly these labels, or nil.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// All samples of one name.
    func samples(named name: String) -> [Sample] {
        samples.filter { $0.name == name }
    }

    private static func sample(_ line: Substring) throws -> Sample {
        var rest = line[...]
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard !name.isEmpty else { throw FormatError(line: String(line), problem: "no metric name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let labelName = rest.prefix { $0 != "=" }
                rest = rest.dropFirst(labelName.count)
                guard rest.hasPrefix("=\"") else { throw FormatError(line: String(line), problem: "label without a quoted value") }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let escaped = rest.first else { throw FormatError(line: String(line), problem: "dangling escape") }
                        rest = rest.dropFirst()
                        switch escaped {
                        case "n": value.append("\n")
                        case "\\", "\"": value.append(escaped)
                        default: throw FormatError(line: String(line), problem: "unknown escape")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw FormatError(line: String(line), problem: "unterminated label value") }
                rest = rest.dropFirst()
                guard labels.updateValue(value, forKey: String(labelName)) == nil else {
                    throw FormatError(line: String(line), problem: "repeated label")
                }
                if rest.first == "," { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw FormatError(line: String(line), problem: "no space before the value") }
        let fields = rest.dropFirst().split(separator: " ")
        guard (1...2).contains(fields.count) else { throw FormatError(line: String(line), problem: "expected a value and an optional timestamp") }
        let valueText = fields[0]
        let value: Double? =
            switch valueText {
            case "+Inf": .infinity
            case "-Inf": -.infinity
            case "NaN": .nan
            default: Double(valueText)
            }
        guard let value else { throw FormatError(line: String(line), problem: "value is not a number") }
        return Sample(name: String(name), labels: labels, value: value)
    }
}
