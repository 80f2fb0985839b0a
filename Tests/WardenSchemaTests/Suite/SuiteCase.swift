import Testing
import WardenJSON

/// One case drawn from the official JSON-Schema-Test-Suite (tests/draft2020-12 and tests/draft7), rewritten here:
/// a schema, an instance, and whether the instance is valid.
struct SuiteCase: Sendable, CustomTestStringConvertible {
    let keyword: String
    let note: String
    let schema: String
    let instance: String
    let isValid: Bool

    var testDescription: String { "\(keyword): \(note)" }

    /// Cases sharing one schema: (instance, valid?, what the case shows).
    static func group(_ keyword: String, _ schema: String, _ cases: [(String, Bool, String)]) -> [SuiteCase] {
        cases.map { SuiteCase(keyword: keyword, note: $0.2, schema: schema, instance: $0.0, isValid: $0.1) }
    }
}

/// Every suite case, grouped by keyword.
enum SuiteCases {
    static var all: [SuiteCase] {
        types + enums + constants + booleanSchemas + numbers + multiples + strings + patterns + formats + items + arrays
            + uniqueness + properties + dependencies + additionalProperties + patternProperties + requirements + combinators + conditionals
            + references
    }
}
