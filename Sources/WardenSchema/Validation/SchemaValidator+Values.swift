import WardenJSON

extension SchemaValidator {
    /// The keywords that apply to one type of value; the others pass, as the specification says.
    mutating func checkValue(_ node: SchemaNode, _ instance: JSONValue, report: Bool) -> Bool {
        switch instance {
        case .number(let number): checkNumber(node, number, report: report)
        case .string(let string): checkString(node, string, report: report)
        case .array(let elements): checkArray(node, elements, report: report)
        case .object(let object): checkObject(node, object, report: report)
        case .null, .bool: true
        }
    }

    private mutating func checkNumber(_ node: SchemaNode, _ number: JSONNumber, report: Bool) -> Bool {
        var valid = true
        if let bound = node.minimum, number < bound {
            fail("minimum", "must be at least \(bound.literal)", report)
            valid = false
        }
        if let bound = node.maximum, number > bound {
            fail("maximum", "must be at most \(bound.literal)", report)
            valid = false
        }
        if let bound = node.exclusiveMinimum, number <= bound {
            fail("exclusiveMinimum", "must be greater than \(bound.literal)", report)
            valid = false
        }
        if let bound = node.exclusiveMaximum, number >= bound {
            fail("exclusiveMaximum", "must be less than \(bound.literal)", report)
            valid = false
        }
        if let divisor = node.multipleOf, !Self.isMultiple(number, of: divisor) {
            fail("multipleOf", "must be a multiple of \(divisor.literal)", report)
            valid = false
        }
        return valid
    }

    /// Exact for every divisor of up to 18 significant digits; beyond that, through `Double`.
    static func isMultiple(_ number: JSONNumber, of divisor: JSONNumber) -> Bool {
        if let value = DecimalLiteral(number.literal), let step = DecimalLiteral(divisor.literal),
            let exact = value.isMultiple(of: step)
        {
            return exact
        }
        let quotient = number.value / divisor.value
        return quotient.isFinite && quotient == quotient.rounded()
    }

    private mutating func checkString(_ node: SchemaNode, _ string: String, report: Bool) -> Bool {
        var valid = true
        if node.minLength != nil || node.maxLength != nil {
            // Lengths count Unicode code points, as the specification says: "é" written as e + U+0301 is two.
            let length = string.unicodeScalars.count
            if let bound = node.minLength, length < bound {
                fail("minLength", "must be at least \(bound) \(bound == 1 ? "character" : "characters") long", report)
                valid = false
            }
            if let bound = node.maxLength, length > bound {
                fail("maxLength", "must be at most \(bound) \(bound == 1 ? "character" : "characters") long", report)
                valid = false
            }
        }
        if let pattern = node.pattern {
            guard spend(1 + string.utf8.count / 1024) else { return false }
            if !pattern.matches(string) {
                fail("pattern", "does not match pattern \(pattern.source)", report)
                valid = false
            }
        }
        if strictFormats, let format = node.format, let check = FormatCheck(named: format), !check.admits(string) {
            fail("format", "is not a valid \(format)", report)
            valid = false
        }
        return valid
    }

    private mutating func checkArray(_ node: SchemaNode, _ elements: [JSONValue], report: Bool) -> Bool {
        var valid = true
        if let bound = node.minItems, elements.count < bound {
            fail("minItems", "must have at least \(bound) \(bound == 1 ? "item" : "items")", report)
            valid = false
        }
        if let bound = node.maxItems, elements.count > bound {
            fail("maxItems", "must have at most \(bound) \(bound == 1 ? "item" : "items")", report)
            valid = false
        }
        if !valid && !report { return false }
        if let rest = node.items, nodes[rest].constantResult == false, elements.count > node.prefixItems.count {
            let bound = node.prefixItems.count
            fail("items", "must have at most \(bound) \(bound == 1 ? "item" : "items")", report)
            valid = false
            if !report { return false }
        }
        for (position, element) in elements.enumerated() {
            let isPrefix = position < node.prefixItems.count
            guard let schema = isPrefix ? node.prefixItems[position] : node.items, nodes[schema].constantResult != true else { continue }
            if !isPrefix && nodes[schema].constantResult == false { break }  // reported above, once for the whole array
            if !check(schema, element, at: .index(position), report: report) {
                valid = false
                if !report || isHalted { return false }
            }
        }
        if let contains = node.contains, !checkContains(node, contains, elements, report: report) {
            valid = false
            if !report { return false }
        }
        if node.uniqueItems {
            guard spend(elements.count) else { return false }
            var firstAt: [JSONValue: Int] = [:]
            for (position, element) in elements.enumerated() {
                if let earlier = firstAt.updateValue(position, forKey: element) {
                    fail("uniqueItems", "must not contain duplicates: items \(earlier) and \(position) are equal", report)
                    valid = false
                    break
                }
            }
        }
        return valid
    }

    private mutating func checkObject(_ node: SchemaNode, _ object: JSONObject, report: Bool) -> Bool {
        var valid = true
        if let bound = node.minProperties, object.count < bound {
            fail("minProperties", "must have at least \(bound) \(bound == 1 ? "property" : "properties")", report)
            valid = false
        }
        if let bound = node.maxProperties, object.count > bound {
            fail("maxProperties", "must have at most \(bound) \(bound == 1 ? "property" : "properties")", report)
            valid = false
        }
        for name in node.required where object[name] == nil {
            fail("required", "missing required property \(ValueText.name(name))", report)
            valid = false
            if !report { return false }
        }
        for dependency in node.dependentRequired where object[dependency.name] != nil {
            for name in dependency.required where object[name] == nil {
                fail(
                    "dependentRequired",
                    "missing property \(ValueText.name(name)), required when \(ValueText.name(dependency.name)) is present",
                    report
                )
                valid = false
                if !report { return false }
            }
        }
        for dependency in node.dependentSchemas where object[dependency.name] != nil {
            if !check(dependency.schema, .object(object), report: report) {
                valid = false
                if !report || isHalted { return false }
            }
        }
        if let names = node.propertyNames {
            for member in object.members where !check(names, .string(member.key), report: false) {
                guard exhaustion == nil else { return false }
                fail("propertyNames", "property name \(ValueText.name(member.key)) is not allowed", report)
                valid = false
                if !report || isHalted { return false }
            }
        }
        if !valid && !report { return false }
        let constrainsMembers = !node.properties.isEmpty || !node.patternProperties.isEmpty || node.additionalProperties != nil
        guard constrainsMembers else { return valid }
        for member in object.members {
            guard spend() else { return false }
            if !checkMember(node, member, report: report) {
                valid = false
                if !report || isHalted { return false }
            }
        }
        return valid
    }

    /// `properties`, then every matching `patternProperties`, and `additionalProperties` when neither matched.
    private mutating func checkMember(_ node: SchemaNode, _ member: JSONObject.Member, report: Bool) -> Bool {
        var valid = true
        var isDeclared = false
        if let schema = node.properties[ScalarKey(member.key)] {
            isDeclared = true
            valid = check(schema, member.value, at: .property(member.key), report: report) && valid
        }
        for entry in node.patternProperties {
            guard valid || report else { return false }
            guard spend() else { return false }
            guard entry.pattern.matches(member.key) else { continue }
            isDeclared = true
            valid = check(entry.schema, member.value, at: .property(member.key), report: report) && valid
        }
        if !isDeclared, let schema = node.additionalProperties {
            if nodes[schema].constantResult == false {
                fail("additionalProperties", "unexpected property \(ValueText.name(member.key))", report)
                return false
            }
            valid = check(schema, member.value, at: .property(member.key), report: report) && valid
        }
        return valid
    }

    /// How many elements match `contains`, against `minContains` (1 by default) and `maxContains`.
    private mutating func checkContains(_ node: SchemaNode, _ contains: Int, _ elements: [JSONValue], report: Bool) -> Bool {
        var matches = 0
        for element in elements where check(contains, element, report: false) { matches += 1 }
        guard exhaustion == nil else { return false }
        if matches < node.minContains {
            let bound = node.minContains
            fail("contains", "must contain at least \(bound) \(bound == 1 ? "item" : "items") matching `contains`", report)
            return false
        }
        if let bound = node.maxContains, matches > bound {
            fail("maxContains", "must contain at most \(bound) \(bound == 1 ? "item" : "items") matching `contains`", report)
            return false
        }
        return true
    }
}
