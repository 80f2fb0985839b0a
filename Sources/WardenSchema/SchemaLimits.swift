/// Bounds on the work one schema may cost, so a hostile schema or instance cannot stall the proxy.
public struct SchemaLimits: Hashable, Sendable {
    /// How deep subschemas may nest in the document.
    public var maxSchemaDepth: Int
    /// How many subschemas a document may compile to.
    public var maxSubschemas: Int
    /// How deep validation may descend into the instance.
    public var maxInstanceDepth: Int
    /// How many subschema and element checks one validation may make before it stops with "schema too complex".
    public var maxSteps: Int
    /// How many violations one validation reports before it stops looking.
    public var maxViolations: Int

    public init(maxSchemaDepth: Int = 128, maxSubschemas: Int = 10_000, maxInstanceDepth: Int = 64, maxSteps: Int = 200_000, maxViolations: Int = 20) {
        self.maxSchemaDepth = maxSchemaDepth
        self.maxSubschemas = maxSubschemas
        self.maxInstanceDepth = maxInstanceDepth
        self.maxSteps = maxSteps
        self.maxViolations = maxViolations
    }

    public static let `default` = SchemaLimits()
}
