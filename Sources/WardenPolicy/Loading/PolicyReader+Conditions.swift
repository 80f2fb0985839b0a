import WardenJSON
import Yams

extension PolicyReader {
    /// Tests whose operand is text: a plain scalar such as `ends_with: 2024` is taken as the text it spells.
    private static let textOperators: Set<TestOperator> = [.matches, .notMatches, .startsWith, .notStartsWith, .endsWith, .type]

    /// A `when:` clause: a map of path → test, plus `all`, `any` and `not`, all of which must hold.
    mutating func when(_ node: Node) -> Condition? {
        guard let entries = entries(of: node, "a condition") else { return nil }
        if entries.isEmpty {
            fail(.badValue, at: node, "the condition is empty; add a test like `args.NAME: {eq: VALUE}`, or remove it")
            return nil
        }
        var conditions: [Condition] = []
        var complete = true
        for entry in entries {
            if let condition = condition(entry) { conditions.append(condition) } else { complete = false }
        }
        guard complete else { return nil }
        return conditions.count == 1 ? conditions[0] : .all(conditions)
    }

    private mutating func condition(_ entry: Entry) -> Condition? {
        switch entry.key {
        case "all", "any":
            guard case .sequence(let sequence) = entry.value else {
                fail(
                    .wrongType,
                    at: entry.value,
                    "`\(entry.key)` takes a list of conditions, each starting with `- `, not \(Self.shape(of: entry.value))"
                )
                return nil
            }
            var conditions: [Condition] = []
            for element in sequence {
                if let condition = when(element) { conditions.append(condition) }
            }
            guard conditions.count == sequence.count else { return nil }
            return entry.key == "all" ? .all(conditions) : .any(conditions)
        case "not":
            return when(entry.value).map(Condition.not)
        default:
            return pathCondition(entry)
        }
    }

    /// `PATH: VALUE` (equality) or `PATH: {TEST: OPERAND, …}` (every test must hold).
    private mutating func pathCondition(_ entry: Entry) -> Condition? {
        if TestOperator(name: entry.key) != nil {
            fail(.badPath, at: entry.keyNode, "`\(entry.key)` is a test, not a path; write `args.NAME: {\(entry.key): …}`")
            return nil
        }
        let path: ValuePath
        do {
            path = try ValuePath(parsing: entry.key)
        } catch {
            var message = error.message
            if let combinator = Suggestion.closest(to: entry.key, among: ["all", "any", "not"]), !entry.key.contains(".") {
                message = "unknown condition `\(entry.key)`; did you mean `\(combinator)`?"
            }
            fail(.badPath, at: entry.keyNode, message)
            return nil
        }
        guard case .mapping = entry.value else {
            return test(.eq, json(entry.value), at: entry.value).map { .test(path, $0) }
        }
        guard let tests = entries(of: entry.value, "the tests for `\(entry.key)`") else { return nil }
        if tests.isEmpty {
            fail(.badValue, at: entry.value, "`\(entry.key)` has no tests; write one like `{eq: VALUE}`")
            return nil
        }
        var conditions: [Condition] = []
        var complete = true
        for test in tests {
            guard let op = TestOperator(name: test.key) else {
                let names = TestOperator.all.map(\.description)
                var message = "unknown test `\(test.key)`"
                if let suggestion = Suggestion.closest(to: test.key, among: names, aliases: TestOperator.aliases) {
                    message += "; did you mean `\(suggestion)`?"
                } else {
                    message += "; the tests are \(names.joined(separator: " ")) (to compare with a map, write `{eq: {…}}`)"
                }
                fail(.unknownTest, at: test.keyNode, message)
                complete = false
                continue
            }
            let operand: JSONValue
            if Self.textOperators.contains(op), case .scalar(let scalar) = test.value {
                operand = .string(scalar.string)
            } else {
                operand = json(test.value)
            }
            if let built = self.test(op, operand, at: test.value) { conditions.append(.test(path, built)) } else { complete = false }
        }
        guard complete else { return nil }
        return conditions.count == 1 ? conditions[0] : .all(conditions)
    }

    private mutating func test(_ op: TestOperator, _ operand: JSONValue, at node: Node) -> ConditionTest? {
        do {
            return try ConditionTest(op, operand)
        } catch {
            fail(op == .matches || op == .notMatches ? .badPattern : .badValue, at: node, error.message)
            return nil
        }
    }
}
