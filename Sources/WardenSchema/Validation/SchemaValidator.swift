import WardenJSON

/// One validation run: walks the instance and the node table together, counting its work and collecting violations.
///
/// Every subschema check runs in one of two modes. Reporting records each violation at the current instance path;
/// probing (inside `anyOf`, `oneOf`, `not` and `if`) only answers valid or not and stops at the first failure.
/// Each check costs a step, and a run that spends `maxSteps` stops with "schema too complex" rather than letting
/// nested `anyOf`s or a huge array take exponential or unbounded time.
struct SchemaValidator {
    let nodes: [SchemaNode]
    let strictFormats: Bool
    let limits: SchemaLimits
    private(set) var violations: [SchemaViolation] = []
    /// The instance path of the value being checked.
    var location: [SchemaViolation.PathComponent] = []
    private var steps = 0
    private var nesting = 0
    /// Set when the run ran out of steps or nesting; every check from then on fails.
    private(set) var exhaustion: SchemaViolation?

    init(nodes: [SchemaNode], strictFormats: Bool, limits: SchemaLimits) {
        self.nodes = nodes
        self.strictFormats = strictFormats
        self.limits = limits
    }

    /// Whether the run should stop looking: out of budget, or enough violations to act on.
    var isHalted: Bool { exhaustion != nil || violations.count >= limits.maxViolations }

    /// Checks `instance` against node `index`, recording violations when `report` is set; returns whether it is valid.
    mutating func check(_ index: Int, _ instance: JSONValue, report: Bool) -> Bool {
        guard spend() else { return false }
        let node = nodes[index]
        if let result = node.constantResult {
            if !result { fail("false", "is not allowed", report) }
            return result
        }
        // In-place references and applicators nest without descending into the instance; bound the stack too.
        guard nesting < limits.maxSchemaDepth + limits.maxInstanceDepth * 2 else {
            exhaust("complexity", "schema too complex: subschemas nest too deeply to check")
            return false
        }
        nesting += 1
        defer { nesting -= 1 }
        var valid = true
        // Each group checks its keywords; a probe returns at the first group that fails.
        for group in CheckGroup.allCases {
            let passed: Bool
            switch group {
            case .generic: passed = checkGeneric(node, instance, report: report)
            case .combinators: passed = checkCombinators(node, instance, report: report)
            case .values: passed = checkValue(node, instance, report: report)
            }
            if !passed {
                valid = false
                if !report || isHalted { return false }
            }
        }
        return valid
    }

    private enum CheckGroup: CaseIterable { case generic, values, combinators }

    /// Charges one step; false once the budget is spent.
    mutating func spend(_ cost: Int = 1) -> Bool {
        guard exhaustion == nil else { return false }
        steps += cost
        guard steps <= limits.maxSteps else {
            exhaust("complexity", "schema too complex: validation stopped after \(limits.maxSteps) steps")
            return false
        }
        return true
    }

    mutating func exhaust(_ keyword: String, _ message: String) {
        if exhaustion == nil { exhaustion = SchemaViolation(location: location, keyword: keyword, message: message) }
    }

    /// Records a violation at the current path when reporting.
    mutating func fail(_ keyword: String, _ message: String, _ report: Bool) {
        guard report, violations.count < limits.maxViolations else { return }
        violations.append(SchemaViolation(location: location, keyword: keyword, message: message))
    }

    /// Checks `instance`, found at `component` under the current path, against node `index`.
    mutating func check(_ index: Int, _ instance: JSONValue, at component: SchemaViolation.PathComponent, report: Bool) -> Bool {
        location.append(component)
        defer { location.removeLast() }
        guard location.count <= limits.maxInstanceDepth else {
            exhaust("depth", "nested deeper than \(limits.maxInstanceDepth) levels")
            return false
        }
        return check(index, instance, report: report)
    }

    // MARK: - Keywords for any type

    private mutating func checkGeneric(_ node: SchemaNode, _ instance: JSONValue, report: Bool) -> Bool {
        var valid = true
        if let types = node.types, !types.contains(where: { $0.admits(instance) }) {
            fail("type", "expected \(Self.typeList(types)), got \(JSONType(of: instance).rawValue)", report)
            valid = false
        }
        if let values = node.enumValues {
            guard spend(values.count / 16) else { return false }
            if !values.contains(instance) {
                fail("enum", "must be one of: \(ValueText.list(values))", report)
                valid = false
            }
        }
        if let constant = node.constValue, constant != instance {
            fail("const", "must be equal to \(ValueText.describe(constant))", report)
            valid = false
        }
        return valid
    }

    /// `string`, `string or null`, `integer, string or null`.
    static func typeList(_ types: [JSONType]) -> String {
        let names = types.map(\.rawValue)
        guard names.count > 1 else { return names.first ?? "nothing" }
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }

    /// The types a node demands, looking through plain references; nil when it demands none.
    func demandedTypes(of index: Int) -> [JSONType]? {
        var current = nodes[index]
        for _ in 0..<8 {
            if let types = current.types { return types }
            if current.constantResult == false { return [] }
            guard let reference = current.reference else { return nil }
            current = nodes[reference]
        }
        return nil
    }
}
