import WardenJSON

extension SchemaCompiler {
    /// Compiles the keywords Warden checks; any other keyword is an annotation or unknown and is ignored.
    mutating func compileKeywords(of object: JSONObject, at pointer: [String]) throws(SchemaError) -> SchemaNode {
        let location = Self.location(pointer)
        var node = SchemaNode(location: location)
        if !pointer.isEmpty, let identifier = object["$id"]?.stringValue, !identifier.hasPrefix("#") {
            throw SchemaError(
                code: .unsupportedReference,
                location: location,
                message: "an embedded schema with its own $id (`\(identifier)`) is not supported"
            )
        }
        if let reference = object["$ref"] {
            guard let text = reference.stringValue else { throw badKeyword("$ref", "must be a string", pointer) }
            node.reference = try compileReference(text, from: Self.location(pointer + ["$ref"]))
            if draft.ignoresSiblingsOfReference { return node }
        }
        try compileGeneric(object, into: &node, at: pointer)
        try compileCombinators(object, into: &node, at: pointer)
        try compileNumbers(object, into: &node, at: pointer)
        try compileStrings(object, into: &node, at: pointer)
        try compileArrays(object, into: &node, at: pointer)
        try compileObjects(object, into: &node, at: pointer)
        return node
    }

    private func compileGeneric(_ object: JSONObject, into node: inout SchemaNode, at pointer: [String]) throws(SchemaError) {
        if let type = object["type"] {
            let names: [JSONValue]
            switch type {
            case .string: names = [type]
            case .array(let elements): names = elements
            default: throw badKeyword("type", "must be a type name or an array of them", pointer)
            }
            var types: [JSONType] = []
            for name in names {
                guard let text = name.stringValue, let parsed = JSONType(rawValue: text) else {
                    throw badKeyword("type", "names an unknown type \(Self.display(name))", pointer)
                }
                types.append(parsed)
            }
            node.types = types
        }
        if let values = object["enum"] {
            guard let elements = values.arrayValue else { throw badKeyword("enum", "must be an array", pointer) }
            node.enumValues = elements
        }
        node.constValue = object["const"]
        if let format = object["format"] {
            guard let text = format.stringValue else { throw badKeyword("format", "must be a string", pointer) }
            node.format = text
        }
    }

    private mutating func compileCombinators(_ object: JSONObject, into node: inout SchemaNode, at pointer: [String]) throws(SchemaError) {
        node.allOf = try subschemaList("allOf", in: object, at: pointer) ?? []
        node.anyOf = try subschemaList("anyOf", in: object, at: pointer)
        node.oneOf = try subschemaList("oneOf", in: object, at: pointer)
        node.not = try subschema("not", in: object, at: pointer)
        node.ifSchema = try subschema("if", in: object, at: pointer)
        if node.ifSchema != nil {
            node.thenSchema = try subschema("then", in: object, at: pointer)
            node.elseSchema = try subschema("else", in: object, at: pointer)
        }
    }

    private func compileNumbers(_ object: JSONObject, into node: inout SchemaNode, at pointer: [String]) throws(SchemaError) {
        node.minimum = try number("minimum", in: object, at: pointer)
        node.maximum = try number("maximum", in: object, at: pointer)
        // Draft-04 writes exclusiveness as a boolean beside minimum/maximum; later drafts as a bound of its own.
        if case .bool(let isExclusive) = object["exclusiveMinimum"] {
            if isExclusive { (node.exclusiveMinimum, node.minimum) = (node.minimum, nil) }
        } else {
            node.exclusiveMinimum = try number("exclusiveMinimum", in: object, at: pointer)
        }
        if case .bool(let isExclusive) = object["exclusiveMaximum"] {
            if isExclusive { (node.exclusiveMaximum, node.maximum) = (node.maximum, nil) }
        } else {
            node.exclusiveMaximum = try number("exclusiveMaximum", in: object, at: pointer)
        }
        if let divisor = try number("multipleOf", in: object, at: pointer) {
            guard divisor > JSONNumber(0) else { throw badKeyword("multipleOf", "must be greater than 0", pointer) }
            node.multipleOf = divisor
        }
    }

    private func compileStrings(_ object: JSONObject, into node: inout SchemaNode, at pointer: [String]) throws(SchemaError) {
        node.minLength = try count("minLength", in: object, at: pointer)
        node.maxLength = try count("maxLength", in: object, at: pointer)
        if let pattern = object["pattern"] {
            guard let source = pattern.stringValue else { throw badKeyword("pattern", "must be a string", pointer) }
            node.pattern = try compilePattern(source, at: pointer + ["pattern"])
        }
    }

    private mutating func compileArrays(_ object: JSONObject, into node: inout SchemaNode, at pointer: [String]) throws(SchemaError) {
        if let prefix = try subschemaList("prefixItems", in: object, at: pointer, allowsEmpty: true) {
            node.prefixItems = prefix
            node.items = try subschema("items", in: object, at: pointer)
        } else if case .array = object["items"] {
            // Draft-07's tuple form: `items` lists the prefix and `additionalItems` covers the rest.
            node.prefixItems = try subschemaList("items", in: object, at: pointer, allowsEmpty: true) ?? []
            node.items = try subschema("additionalItems", in: object, at: pointer)
        } else {
            node.items = try subschema("items", in: object, at: pointer)
        }
        node.minItems = try count("minItems", in: object, at: pointer)
        node.maxItems = try count("maxItems", in: object, at: pointer)
        node.contains = try subschema("contains", in: object, at: pointer)
        node.minContains = try count("minContains", in: object, at: pointer) ?? 1
        node.maxContains = try count("maxContains", in: object, at: pointer)
        if let unique = object["uniqueItems"] {
            guard let flag = unique.boolValue else { throw badKeyword("uniqueItems", "must be a boolean", pointer) }
            node.uniqueItems = flag
        }
    }

    private mutating func compileObjects(_ object: JSONObject, into node: inout SchemaNode, at pointer: [String]) throws(SchemaError) {
        if let properties = object["properties"] {
            guard let members = properties.objectValue else { throw badKeyword("properties", "must be an object", pointer) }
            for member in members {
                node.properties[ScalarKey(member.key)] = try compile(member.value, at: pointer + ["properties", member.key])
            }
        }
        if let patterns = object["patternProperties"] {
            guard let members = patterns.objectValue else { throw badKeyword("patternProperties", "must be an object", pointer) }
            for member in members {
                let matcher = try compilePattern(member.key, at: pointer + ["patternProperties", member.key])
                node.patternProperties.append((matcher, try compile(member.value, at: pointer + ["patternProperties", member.key])))
            }
        }
        node.additionalProperties = try subschema("additionalProperties", in: object, at: pointer)
        switch object["required"] {
        case .array(let names):
            for name in names {
                guard let text = name.stringValue else { throw badKeyword("required", "must list property names", pointer) }
                node.required.append(text)
            }
        case .bool, nil:
            break  // draft-03's `"required": true` inside a property, still written by hand; it constrains nothing here
        default:
            throw badKeyword("required", "must be an array of property names", pointer)
        }
        node.minProperties = try count("minProperties", in: object, at: pointer)
        node.maxProperties = try count("maxProperties", in: object, at: pointer)
        node.propertyNames = try subschema("propertyNames", in: object, at: pointer)
        try compileDependencies(object, into: &node, at: pointer)
    }

    /// `dependentRequired` and `dependentSchemas`, and draft-07's `dependencies`, which mixes the two by value.
    private mutating func compileDependencies(_ object: JSONObject, into node: inout SchemaNode, at pointer: [String]) throws(SchemaError) {
        for keyword in ["dependentRequired", "dependentSchemas", "dependencies"] {
            guard let value = object[keyword] else { continue }
            guard let members = value.objectValue else { throw badKeyword(keyword, "must be an object", pointer) }
            for member in members {
                if keyword != "dependentSchemas", case .array(let names) = member.value {
                    var required: [String] = []
                    for name in names {
                        guard let text = name.stringValue else { throw badKeyword(keyword, "must list property names", pointer) }
                        required.append(text)
                    }
                    node.dependentRequired.append((member.key, required))
                } else if keyword != "dependentRequired" {
                    node.dependentSchemas.append((member.key, try compile(member.value, at: pointer + [keyword, member.key])))
                } else {
                    throw badKeyword(keyword, "must map property names to arrays of names", pointer)
                }
            }
        }
    }

    // MARK: - Keyword values

    private mutating func subschema(_ keyword: String, in object: JSONObject, at pointer: [String]) throws(SchemaError) -> Int? {
        guard let value = object[keyword] else { return nil }
        return try compile(value, at: pointer + [keyword])
    }

    private mutating func subschemaList(_ keyword: String, in object: JSONObject, at pointer: [String], allowsEmpty: Bool = false)
        throws(SchemaError) -> [Int]?
    {
        guard let value = object[keyword] else { return nil }
        guard let elements = value.arrayValue, allowsEmpty || !elements.isEmpty else {
            throw badKeyword(keyword, allowsEmpty ? "must be an array of schemas" : "must be a non-empty array of schemas", pointer)
        }
        var indexes: [Int] = []
        for (position, element) in elements.enumerated() {
            indexes.append(try compile(element, at: pointer + [keyword, String(position)]))
        }
        return indexes
    }

    private func number(_ keyword: String, in object: JSONObject, at pointer: [String]) throws(SchemaError) -> JSONNumber? {
        guard let value = object[keyword] else { return nil }
        guard case .number(let number) = value, DecimalLiteral(number.literal) != nil else {
            throw badKeyword(keyword, "must be a number", pointer)
        }
        return number
    }

    /// A non-negative whole number (`2` or `2.0`); counts beyond `Int` are as good as unbounded.
    private func count(_ keyword: String, in object: JSONObject, at pointer: [String]) throws(SchemaError) -> Int? {
        guard let value = object[keyword] else { return nil }
        guard case .number(let number) = value, number.isInteger, number >= JSONNumber(0) else {
            throw badKeyword(keyword, "must be a non-negative integer", pointer)
        }
        return number.value < 9.0e15 ? Int(number.value) : Int.max
    }

    private func compilePattern(_ source: String, at pointer: [String]) throws(SchemaError) -> PatternMatcher {
        do {
            return try PatternMatcher(source)
        } catch {
            throw SchemaError(
                code: .badPattern,
                location: Self.location(pointer),
                message: "the pattern \(Self.display(.string(source))) is \(error.reason)"
            )
        }
    }

    private func badKeyword(_ keyword: String, _ problem: String, _ pointer: [String]) -> SchemaError {
        SchemaError(code: .badKeyword, location: Self.location(pointer + [keyword]), message: "`\(keyword)` \(problem)")
    }
}
