import WardenJSON

/// Turns a schema document into the node table `JSONSchema` validates with, resolving every `$ref` once.
///
/// Each subschema is compiled once per place in the document: a reference to a place already being compiled gets
/// its index, which is how recursive schemas compile without looping.
struct SchemaCompiler {
    let root: JSONValue
    let draft: SchemaDraft
    let limits: SchemaLimits
    /// The root's `$id` without its fragment: a `$ref` to it is a reference within this document.
    private let rootIdentifier: String?
    private(set) var nodes: [SchemaNode] = []
    private var compiledAt: [String: Int] = [:]
    private var nesting = 0

    init(root: JSONValue, limits: SchemaLimits) throws(SchemaError) {
        self.root = root
        self.limits = limits
        let declared = root["$schema"]
        if let declared {
            guard let uri = declared.stringValue, let draft = SchemaDraft(metaSchema: uri) else {
                throw SchemaError(
                    code: .unknownDraft,
                    location: "#/$schema",
                    message: "unknown $schema \(Self.display(declared)); Warden validates drafts 04, 06, 07, 2019-09 and 2020-12"
                )
            }
            self.draft = draft
        } else {
            // Most servers declare nothing; 2020-12 is what MCP specifies, and draft-07 forms are accepted too.
            self.draft = .draft2020
        }
        rootIdentifier = root["$id"]?.stringValue.map { String($0.prefix { $0 != "#" }) }
    }

    /// Compiles the whole document; the root is node 0.
    mutating func compileRoot() throws(SchemaError) {
        _ = try compile(root, at: [])
        try rejectReferenceCycles()
    }

    /// The node index for the subschema `value` found at `pointer`, compiling it on first sight.
    mutating func compile(_ value: JSONValue, at pointer: [String]) throws(SchemaError) -> Int {
        let location = Self.location(pointer)
        if let index = compiledAt[location] { return index }
        guard nesting < limits.maxSchemaDepth else {
            throw SchemaError(code: .tooDeep, location: location, message: "subschemas nest deeper than \(limits.maxSchemaDepth) levels")
        }
        guard nodes.count < limits.maxSubschemas else {
            throw SchemaError(code: .tooLarge, location: location, message: "the schema has more than \(limits.maxSubschemas) subschemas")
        }
        let index = nodes.count
        nodes.append(SchemaNode(location: location))
        compiledAt[location] = index
        nesting += 1
        defer { nesting -= 1 }
        switch value {
        case .bool(let result):
            nodes[index] = SchemaNode(location: location, constantResult: result)
        case .object(let object):
            let node = try compileKeywords(of: object, at: pointer)
            nodes[index] = node
        default:
            throw SchemaError(code: .badKeyword, location: location, message: "a schema must be an object or a boolean")
        }
        return index
    }

    /// The subschema reached by following `reference` from `location`.
    mutating func compileReference(_ reference: String, from location: String) throws(SchemaError) -> Int {
        let target = try SchemaReference.resolve(reference, in: root, rootIdentifier: rootIdentifier, from: location)
        guard let value = SchemaReference.value(at: target, in: root) else {
            throw SchemaError(
                code: .missingReference,
                location: location,
                message: "the $ref \(Self.display(.string(reference))) points to nothing in this schema"
            )
        }
        return try compile(value, at: target)
    }

    /// Rejects references that lead back to a schema checked against the same value, which no validator can finish.
    private func rejectReferenceCycles() throws(SchemaError) {
        enum Mark { case unvisited, onPath, done }
        var marks = [Mark](repeating: .unvisited, count: nodes.count)
        for start in nodes.indices where marks[start] == .unvisited {
            // Iterative depth-first search: (node, next child position).
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            marks[start] = .onPath
            while let top = stack.last {
                let children = nodes[top.node].inPlaceSubschemas
                if top.next < children.count {
                    stack[stack.count - 1].next += 1
                    let child = children[top.next]
                    switch marks[child] {
                    case .onPath:
                        throw SchemaError(
                            code: .referenceCycle,
                            location: nodes[top.node].location,
                            message: "references from here lead back to \(nodes[child].location) without descending into the value"
                        )
                    case .unvisited:
                        marks[child] = .onPath
                        stack.append((child, 0))
                    case .done:
                        break
                    }
                } else {
                    marks[top.node] = .done
                    stack.removeLast()
                }
            }
        }
    }

    /// A JSON pointer fragment for messages and for identifying places: `#/properties/a~1b`.
    static func location(_ pointer: [String]) -> String {
        var text = "#"
        for token in pointer {
            text += "/"
            for character in token.unicodeScalars {
                switch character {
                case "~": text += "~0"
                case "/": text += "~1"
                default: text.unicodeScalars.append(character)
                }
            }
        }
        return text
    }

    /// A schema value in a message: strings as written, anything else as JSON, shortened when long.
    static func display(_ value: JSONValue) -> String {
        let text = value.stringValue.map { "`\($0)`" } ?? value.encodedString
        return text.unicodeScalars.count <= 80 ? text : String(text.unicodeScalars.prefix(77)) + "…"
    }
}
