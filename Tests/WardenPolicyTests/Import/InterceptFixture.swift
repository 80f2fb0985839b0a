import Foundation
import Testing
import WardenJSON
import WardenPolicy

/// An Intercept policy from `Tests/Fixtures/Intercept`, read, converted, and its conversion loaded by Warden.
struct InterceptFixture {
    let name: String
    let intercept: InterceptPolicy
    let conversion: InterceptConversion
    let warden: Policy

    /// 2026-01-01 10:00:00 UTC: the start of a calendar day, hour and minute, so offsets read as clock times.
    static let start: Int64 = 1_767_261_600

    static func path(_ name: String) -> String {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("Fixtures/Intercept/\(name)").path
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    init(_ name: String) throws {
        self.name = name
        intercept = try InterceptReader.read(yaml: try Self.text(name), fileName: name)
        conversion = InterceptConverter.convert(intercept, sourceName: name)
        do {
            warden = try PolicyLoader.load(yaml: conversion.yaml, fileName: "converted-\(name)")
        } catch {
            Issue.record("the converted policy does not load: \(error)\n\(conversion.yaml)")
            throw error
        }
    }

    /// One call of a scenario: the tool, its arguments, when (seconds after `start`), and, where a test pins it down,
    /// what Intercept decides. `differs` names the note that must explain a decision Warden makes differently.
    struct Step {
        var tool: String
        var arguments: JSONValue
        var at: Int64
        var expected: InterceptReference.Outcome?
        var differs: InterceptConversion.Note.Kind?

        init(
            _ tool: String,
            _ arguments: JSONValue = [:],
            at: Int64 = 0,
            _ expected: InterceptReference.Outcome? = nil,
            differs: InterceptConversion.Note.Kind? = nil
        ) {
            self.tool = tool
            self.arguments = arguments
            self.at = at
            self.expected = expected
            self.differs = differs
        }
    }

    /// Runs the steps through Intercept's reference semantics and through the Warden policy, and checks that they agree
    /// on every step, except where a step says they differ, in which case the conversion must have said why.
    func expectSameDecisions(_ steps: [Step], sourceLocation: SourceLocation = #_sourceLocation) {
        var reference = InterceptReference(intercept)
        var replay = WardenReplay(warden, start: Timestamp(secondsSinceEpoch: Self.start))
        for (number, step) in steps.enumerated() {
            let interceptSays = reference.call(step.tool, step.arguments, at: Self.start + step.at)
            let wardenSays = replay.call(step.tool, step.arguments, at: Self.start + step.at)
            let label = "\(name) step \(number + 1): \(step.tool) \(step.arguments.encodedString) at +\(step.at)s"
            if let expected = step.expected {
                #expect(interceptSays == expected, "\(label): Intercept's reference says \(interceptSays)", sourceLocation: sourceLocation)
            }
            if let kind = step.differs {
                #expect(wardenSays != interceptSays, "\(label): expected Warden to differ", sourceLocation: sourceLocation)
                #expect(
                    conversion.notes.contains { $0.kind == kind },
                    "\(label): the difference is not reported as \(kind)",
                    sourceLocation: sourceLocation
                )
            } else {
                #expect(
                    wardenSays == interceptSays,
                    "\(label): Intercept \(interceptSays), Warden \(wardenSays)\n\(conversion.yaml)",
                    sourceLocation: sourceLocation
                )
            }
        }
    }
}
