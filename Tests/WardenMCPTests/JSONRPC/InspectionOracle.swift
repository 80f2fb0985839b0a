import WardenJSON
import WardenMCP

/// The inspector's rules written over a fully parsed value, to check the byte-level inspector against.
enum InspectionOracle {
    enum Outcome: Equatable, CustomStringConvertible {
        case envelope(MessageEnvelope.Kind, method: String?, id: JSONValue?)
        case parseError
        case invalidRequest(id: JSONValue?)
        case batch

        var description: String {
            switch self {
            case .envelope(let kind, let method, let id): "\(kind) \(method ?? "-") \(id.map(\.encodedString) ?? "-")"
            case .parseError: "parseError"
            case .invalidRequest(let id): "invalidRequest \(id.map(\.encodedString) ?? "-")"
            case .batch: "batch"
            }
        }
    }

    static func outcome(of bytes: [UInt8]) -> Outcome {
        guard let value = try? JSONParser.parse(bytes, maxDepth: MessageInspector.maxDepth) else { return .parseError }
        if case .array = value { return .batch }
        guard case .object(let object) = value else { return .invalidRequest(id: nil) }
        var id: JSONValue?
        if let duplicate = firstDuplicateKey(in: bytes) {
            let rawID = object["id"]
            return .invalidRequest(id: duplicate != "id" && rawID.map(isAllowedID) == true ? rawID : nil)
        }
        if let rawID = object["id"] {
            if isAllowedID(rawID) {
                id = rawID
            } else if !rawID.isNull {
                return .invalidRequest(id: nil)
            }
        }
        guard object["jsonrpc"] == "2.0" else { return .invalidRequest(id: id) }
        switch object["params"] {
        case nil, .null?, .object?, .array?: break
        default: return .invalidRequest(id: id)
        }
        if let method = object["method"] {
            guard case .string(let name) = method, object["result"] == nil, object["error"] == nil else { return .invalidRequest(id: id) }
            if object["id"]?.isNull == true { return .invalidRequest(id: nil) }
            return .envelope(id == nil ? .notification : .request, method: name, id: id)
        }
        if object["params"] != nil { return .invalidRequest(id: id) }
        switch (object["result"], object["error"]) {
        case (.some, nil):
            return id == nil ? .invalidRequest(id: nil) : .envelope(.response, method: nil, id: id)
        case (nil, .object?):
            return .envelope(.errorResponse, method: nil, id: id)
        default:
            return .invalidRequest(id: id)
        }
    }

    /// Strings, and integers written plainly whose magnitude is at most 2^53 - 1.
    static func isAllowedID(_ value: JSONValue) -> Bool {
        switch value {
        case .string: return true
        case .number(let number):
            guard number.literal.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }), let integer = Int(number.literal) else { return false }
            return integer.magnitude <= (1 << 53) - 1
        default: return false
        }
    }

    /// Collects the top-level keys and looks for one that occurs twice, by scalars.
    static func firstDuplicateKey(in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { buffer in
            guard let members = try? JSONScanner.members(of: buffer, maxDepth: MessageInspector.maxDepth) else { return nil }
            var seen: [[UInt8]] = []
            for member in members {
                let key = Array(member.key(in: buffer).utf8)
                if seen.contains(key) { return String(decoding: key, as: UTF8.self) }
                seen.append(key)
            }
            return nil
        }
    }

    static func outcome(of result: Result<MessageEnvelope, MessageProblem>) -> Outcome {
        switch result {
        case .success(let envelope): .envelope(envelope.kind, method: envelope.method, id: envelope.id?.value)
        case .failure(.parseError): .parseError
        case .failure(.invalidRequest(_, let id)): .invalidRequest(id: id?.value)
        case .failure(.batch): .batch
        }
    }
}
