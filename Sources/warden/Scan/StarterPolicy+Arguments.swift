import WardenJSON
import WardenPolicy

/// Arguments for the generated tests and the argument-check stubs: what a call looks like, and where its data goes.
extension StarterPolicy {
    /// Arguments that satisfy the schema's required properties, with a placeholder of each property's JSON type.
    ///
    /// The tests only need a call shaped like a real one; a destination argument gets a value under the stub's
    /// placeholder prefix, so uncommenting a stub as written keeps the tests passing until the prefix is changed.
    static func sampleArguments(for definition: ToolDefinition?, destinations: [String]) -> JSONObject {
        let schema = definition?.inputSchema ?? .object(JSONObject())
        var arguments = sample(schema, root: schema, path: "", destinations: destinations, depth: 0).objectValue ?? JSONObject()
        for destination in destinations {
            let stub = Stub(argument: destination, property: property(at: destination, in: schema))
            if stub.path != nil { set(&arguments, path: destination, to: .string(stub.sample)) }
        }
        return arguments
    }

    private static func sample(_ schema: JSONValue, root: JSONValue, path: String, destinations: [String], depth: Int) -> JSONValue {
        // The schema is the server's: a reference cycle must end, so past a few levels any value will do.
        guard depth < 12 else { return "example" }
        let schema = resolved(schema, root: root)
        if let constant = schema["const"] { return constant }
        if let first = schema["enum"]?.arrayValue?.first { return first }
        if let options = (schema["anyOf"] ?? schema["oneOf"])?.arrayValue {
            let option = options.first { resolved($0, root: root)["type"]?.stringValue != "null" } ?? options.first
            if let option { return sample(option, root: root, path: path, destinations: destinations, depth: depth + 1) }
        }
        if let first = schema["allOf"]?.arrayValue?.first, schema["type"] == nil {
            return sample(first, root: root, path: path, destinations: destinations, depth: depth + 1)
        }
        switch type(of: schema) {
        case "object":
            guard depth < 6 else { return .object(JSONObject()) }
            var object = JSONObject()
            let properties = schema["properties"]?.objectValue ?? JSONObject()
            for required in schema["required"]?.arrayValue ?? [] {
                guard let name = required.stringValue else { continue }
                let inner = path.isEmpty ? name : "\(path).\(name)"
                let property = properties[name] ?? .object(JSONObject())
                object[name] = sample(property, root: root, path: inner, destinations: destinations, depth: depth + 1)
            }
            return .object(object)
        case "array": return .array([])
        case "integer": return .number(JSONNumber(Int(minimum(of: schema)?.rounded(.up) ?? 1)))
        case "number": return .number(JSONNumber(minimum(of: schema) ?? 1))
        case "boolean": return .bool(false)
        case "null": return .null
        default:
            if destinations.contains(path) { return .string(Stub(argument: path, property: schema).sample) }
            switch schema["format"]?.stringValue {
            case "uri", "url", "uri-reference": return "https://example.com/"
            case "email": return "user@example.com"
            case "date-time": return "2026-01-01T00:00:00Z"
            case "date": return "2026-01-01"
            default: return "example"
            }
        }
    }

    /// The schema's `minimum`, when it is a number every reader holds exactly (below 2^53); 1 does for the rest.
    private static func minimum(of schema: JSONValue) -> Double? {
        guard let minimum = schema["minimum"]?.numberValue, minimum.isFinite, abs(minimum) < 9_007_199_254_740_992 else { return nil }
        return minimum
    }

    /// The schema's type: its `type`, the first non-null one of a list, or string when it says none.
    private static func type(of schema: JSONValue) -> String {
        if let type = schema["type"]?.stringValue { return type }
        if let types = schema["type"]?.arrayValue?.compactMap(\.stringValue) {
            return types.first { $0 != "null" } ?? "null"
        }
        if schema["properties"] != nil { return "object" }
        return "string"
    }

    /// Follows a local `$ref` (`#`, `#/$defs/X`, `#/definitions/X`) one step; anything else is returned as it is.
    private static func resolved(_ schema: JSONValue, root: JSONValue) -> JSONValue {
        guard let reference = schema["$ref"]?.stringValue, reference == "#" || reference.hasPrefix("#/") else { return schema }
        var target: JSONValue? = root
        for part in reference.dropFirst(2).split(separator: "/") { target = target?[String(part)] }
        return target ?? schema
    }

    /// The property at a dotted argument path (`target.url`), looking through `properties` at each step.
    static func property(at path: String, in schema: JSONValue?) -> JSONValue? {
        var current = schema
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            current = current?["properties"]?[String(part)]
        }
        return current
    }

    /// Whether the argument at a dotted path is required by its parent object (and every parent by theirs).
    static func isRequired(_ path: String, in schema: JSONValue?) -> Bool {
        var current = schema
        for part in path.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            guard let required = current?["required"]?.arrayValue, required.contains(.string(part)) else { return false }
            current = current?["properties"]?[part]
        }
        return true
    }

    /// A commented-out argument check for one destination argument: the condition and the placeholder it pins to.
    struct Stub {
        /// The argument path, as `destinationArguments` lists it (`output_s3_uri`, `target.url`).
        var argument: String
        /// The test, written in YAML flow style: `{not_starts_with: "s3://CHANGE-ME/"}`.
        var test: String
        /// A value the check lets through, for the generated tests.
        var sample: String
        /// A value the check refuses, for the commented test beside it.
        var refused: String
        /// What the reason tells the agent.
        var requirement: String

        /// Picks a placeholder fitting the argument: a scheme the name or description mentions (`s3://`, `gs://`),
        /// `https://` for a URL, a directory for a path, a domain for an address, a fixed list for a bucket or host.
        /// `isRequired` false adds `exists: true`, so a call that leaves an optional destination out is not denied.
        init(argument: String, property: JSONValue?, isRequired: Bool = true) {
            let leaf = argument.split(separator: ".").last.map(String.init) ?? argument
            let words = Set(Self.words(in: leaf))
            let description = property?["description"]?.stringValue ?? ""
            let prefix: String
            let refused: String
            if let scheme = Self.scheme(words: words, description: description) {
                (prefix, refused) = ("\(scheme)://CHANGE-ME/", "\(scheme)://elsewhere/x")
            } else if !words.isDisjoint(with: ["url", "uri", "urls", "uris", "endpoint", "webhook", "callback", "href", "link"]) {
                (prefix, refused) = ("https://CHANGE-ME.example/", "https://elsewhere.example/x")
            } else if !words.isDisjoint(with: ["path", "file", "dir", "directory", "folder"]) {
                (prefix, refused) = ("/CHANGE-ME/", "/elsewhere/x")
            } else if !words.isDisjoint(with: ["email", "recipient", "recipients", "to", "cc", "bcc"]) || property?["format"] == "email" {
                self.init(
                    argument: argument,
                    test: #"{not_matches: "@CHANGE-ME[.]example$"}"#,
                    sample: "someone@CHANGE-ME.example",
                    refused: "someone@elsewhere.example",
                    requirement: "go to an address at CHANGE-ME.example",
                    isRequired: isRequired
                )
                return
            } else if !words.isDisjoint(with: ["bucket", "host", "hostname", "domain", "server", "account", "channel", "repository", "repo"]) {
                self.init(
                    argument: argument,
                    test: #"{not_in: ["CHANGE-ME"]}"#,
                    sample: "CHANGE-ME",
                    refused: "elsewhere",
                    requirement: "be one of the approved values",
                    isRequired: isRequired
                )
                return
            } else {
                (prefix, refused) = ("CHANGE-ME/", "elsewhere/x")
            }
            self.init(
                argument: argument,
                test: "{not_starts_with: \(StarterPolicy.quoted(prefix))}",
                sample: prefix + "example",
                refused: refused,
                requirement: "start with \(prefix)",
                isRequired: isRequired
            )
        }

        private init(argument: String, test: String, sample: String, refused: String, requirement: String, isRequired: Bool) {
            self.argument = argument
            self.test = isRequired ? test : "{exists: true, " + test.dropFirst()
            self.sample = sample
            self.refused = refused
            self.requirement = requirement
        }

        /// A URI scheme the argument's name or description names: `s3` for `output_s3_uri`, `gs` for a GCS path.
        private static func scheme(words: Set<String>, description: String) -> String? {
            for scheme in ["s3", "gs", "abfs", "hdfs", "ftp", "sftp", "file"] where words.contains(scheme) { return scheme }
            guard let range = description.firstRange(of: "://") else { return nil }
            let before = description[..<range.lowerBound].reversed().prefix { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" }
            let scheme = String(before.reversed()).lowercased()
            guard !scheme.isEmpty, scheme.first?.isLetter == true else { return nil }
            return scheme == "http" ? "https" : scheme
        }

        /// The path as a policy writes it (`args.output_s3_uri`), or nil when a part cannot be written in a path.
        var path: String? {
            let parts = argument.split(separator: ".", omittingEmptySubsequences: false)
            let writable = parts.allSatisfy { part in !part.isEmpty && !part.contains("[") && !part.contains("]") }
            return writable ? "args." + argument : nil
        }

        /// Splits an argument name into lowercase words (`output_s3_uri` → output, s3, uri; `destinationUrl` →
        /// destination, url), roughly as the classifier does, so the placeholder fits the words it saw.
        static func words(in text: String) -> [String] {
            var words: [String] = []
            var current = ""
            var previous: Character?
            for character in text {
                if !(character.isLetter || character.isNumber) {
                    if !current.isEmpty { words.append(current) }
                    current = ""
                } else if character.isUppercase, let previous, previous.isLowercase || previous.isNumber, !current.isEmpty {
                    words.append(current)
                    current = String(character)
                } else {
                    current.append(character)
                }
                previous = character
            }
            if !current.isEmpty { words.append(current) }
            return words.map { $0.lowercased() }
        }
    }
}
