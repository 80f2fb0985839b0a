import WardenJSON

/// One compiled subschema: the keywords Warden checks, with subschemas referred to by index into the node table.
///
/// Indexes rather than nested values let a `$ref` point back to an enclosing schema without building a cycle of
/// values, and let the compiler share one node between every reference to the same place.
struct SchemaNode: Sendable {
    /// Where the subschema sits in the document, as a JSON pointer fragment.
    var location: String
    /// Set for the boolean schemas `true` and `false`, which have no keywords.
    var constantResult: Bool?

    var types: [JSONType]?
    var enumValues: [JSONValue]?
    var constValue: JSONValue?
    var format: String?

    var reference: Int?
    var allOf: [Int] = []
    var anyOf: [Int]?
    var oneOf: [Int]?
    var not: Int?
    var ifSchema: Int?
    var thenSchema: Int?
    var elseSchema: Int?

    var minimum: JSONNumber?
    var maximum: JSONNumber?
    var exclusiveMinimum: JSONNumber?
    var exclusiveMaximum: JSONNumber?
    var multipleOf: JSONNumber?

    var minLength: Int?
    var maxLength: Int?
    var pattern: PatternMatcher?

    /// Schemas for the first elements, by position (`prefixItems`, or draft-07's array form of `items`).
    var prefixItems: [Int] = []
    /// The schema for every element after the prefix (`items`, or draft-07's `additionalItems`).
    var items: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var contains: Int?
    /// How many elements must match `contains` (1 unless `minContains` says otherwise).
    var minContains = 1
    var maxContains: Int?

    var properties: [ScalarKey: Int] = [:]
    var patternProperties: [(pattern: PatternMatcher, schema: Int)] = []
    var additionalProperties: Int?
    var required: [String] = []
    var minProperties: Int?
    var maxProperties: Int?
    var propertyNames: Int?
    /// Members that must be present when a member is (`dependentRequired`, or `dependencies` with an array).
    var dependentRequired: [(name: String, required: [String])] = []
    /// Schemas the whole object must match when a member is present (`dependentSchemas`, or `dependencies` with a schema).
    var dependentSchemas: [(name: String, schema: Int)] = []

    init(location: String, constantResult: Bool? = nil) {
        self.location = location
        self.constantResult = constantResult
    }

    /// The subschemas checked against the same instance, which is where a reference cycle can loop forever.
    var inPlaceSubschemas: [Int] {
        var result = allOf + (anyOf ?? []) + (oneOf ?? []) + dependentSchemas.map(\.schema)
        for single in [reference, not, ifSchema, thenSchema, elseSchema] {
            if let single { result.append(single) }
        }
        return result
    }
}
