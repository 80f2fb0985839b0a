import Testing
import WardenJSON
import WardenTesting

@testable import WardenPolicy

/// Reading Intercept files and the shape of what the converter writes.
@Suite("Intercept policies are read as Intercept reads them and converted into policies Warden loads")
struct InterceptConversionTests {
    static let fixtures = ["repository-host.yaml", "payments.yaml", "allowlist.yaml", "quirks.yaml"]

    @Test("every fixture converts into a policy Warden's loader accepts", arguments: fixtures)
    func convertedPoliciesLoad(name: String) throws {
        let fixture = try InterceptFixture(name)
        #expect(!fixture.warden.rules.isEmpty)
    }

    @Test("the converted policy names its source file in a header comment and keeps on_deny messages as reasons")
    func headerAndReasons() throws {
        let fixture = try InterceptFixture("payments.yaml")
        #expect(fixture.conversion.yaml.hasPrefix("# Converted by `warden import intercept` from the Intercept policy payments.yaml."))
        let reasons = Set(fixture.warden.rules.compactMap(\.reason))
        for message in ["A single charge may not exceed 500", "Only usd and eur", "The daily total of 1000 is reached"] {
            #expect(reasons.contains(message))
        }
        let total = try #require(fixture.warden.rules.first { $0.budget != nil })
        #expect(total.budget?.max == 1000)
        #expect(total.budget?.per == .global)
        #expect(total.budget?.window == .seconds(86_400))
        #expect(fixture.warden.description == "Card payments: cap single charges, the daily total and refunds")
    }

    @Test("the rate_limit shorthand expands to an lte condition on a _rate_ counter, as Intercept expands it")
    func rateLimitShorthand() throws {
        let policy = try InterceptReader.read(yaml: try InterceptFixture.text("repository-host.yaml"), fileName: "r.yaml")
        let rule = try #require(policy.tool(named: "open_issue")?.rules.first)
        #expect(rule.rateLimit == "3/hour")
        #expect(rule.counter?.name == "_rate_hour")
        #expect(rule.conditions.map(\.path) == ["state.open_issue._rate_hour"])
        let wildcard = try #require(policy.wildcard?.rules.first)
        #expect(wildcard.conditions.map(\.path) == ["state._global._rate_minute"])
        #expect(wildcard.onDeny == "Rate limit of 5 per minute reached. Try again later.")
    }

    @Test("every counted limit is reported as counted in calendar windows, at its line in the Intercept file")
    func calendarNotes() throws {
        let fixture = try InterceptFixture("repository-host.yaml")
        let lines = fixture.conversion.notes.filter { $0.kind == .calendarWindow }.map(\.position.line)
        #expect(lines == [12, 24, 35])
        #expect(fixture.conversion.yaml.contains("#   line 12: `rate_limit: 3/hour` of open_issue"))
    }

    @Test("a broken Intercept file is refused with every problem, each with its line")
    func brokenFile() throws {
        #expect {
            _ = try InterceptReader.read(yaml: try InterceptFixture.text("broken.yaml"), fileName: "broken.yaml")
        } throws: { error in
            let description = (error as? PolicyLoadError)?.description ?? ""
            return description.contains("broken.yaml:7:") && description.contains("unknown operator `less_than`")
                && description.contains("broken.yaml:11:") && description.contains("fortnight")
        }
        for (yaml, expected) in [
            ("tools: {}\n", "needs `version: \"1\"`"),
            ("version: \"2\"\ntools: {}\n", "must be \"1\""),
            ("version: \"1\"\ndefault: block\n", "`default` must be"),
            ("version: \"1\"\ntools:\n  a:\n    rules:\n      - name: x\n", "has no `conditions`"),
            ("version: \"1\"\ntools:\n  a:\n    rules:\n      - name: x\n        action: deny\n        conditions: []\n", "must not have"),
            ("version: \"1\"\ntools:\n  a:\n    rules:\n      - name: x\n        conditions: [{path: state.a.n, op: lte, value: 1}]\n", "no rule"),
            ("version: \"1\"\nhide: [a, a]\n", "twice"),
            ("version: \"1\"\ntools: [a\n", "not valid YAML"),
        ] {
            #expect(throws: PolicyLoadError.self, "\(expected)") { try InterceptReader.read(yaml: yaml, fileName: "x.yaml") }
            do {
                _ = try InterceptReader.read(yaml: yaml, fileName: "x.yaml")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
    }

    @Test("a tool name with glob characters selects only itself, in rules and in hide")
    func literalToolNames() throws {
        let yaml = """
            version: "1"
            hide: ["tmp?"]
            tools:
              "run*":
                rules:
                  - name: "never"
                    action: deny
            """
        let conversion = InterceptConverter.convert(try InterceptReader.read(yaml: yaml, fileName: "g.yaml"), sourceName: "g.yaml")
        let compiled = CompiledPolicy(try PolicyLoader.load(yaml: conversion.yaml, fileName: "g-converted.yaml"))
        #expect(compiled.decide(ToolCall(tool: "run*")).action == .deny)
        #expect(compiled.decide(ToolCall(tool: "run_tests")).action == .allow)
        #expect(compiled.isHidden("tmp?"))
        #expect(!compiled.isHidden("tmp1"))
    }

    @Test("Go's %v text for floats matches an independent search for the shortest %e digits")
    func goFloatText() {
        var random = SplitMix(seed: 7)
        var values: [Double] = [1, 5, 0.5, 100_000, 123_456, 1_000_000, 1_234_567, 0.0001, 0.00001, 1.5e-7, 1e21, 0.1 + 0.2, 123.456, -42, -0.25]
        for _ in 0..<500 {
            let mantissa = Double(random.next() % 1_000_000) / 1_000
            let exponent = Int(random.next() % 30) - 12
            values.append(mantissa * pow10(exponent))
        }
        for value in values {
            #expect(GoValueText.float(value) == InterceptReference.goFloat(value), "\(value)")
        }
    }

    private func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
