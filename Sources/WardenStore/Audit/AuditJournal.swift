import Foundation
import WardenJSON
import WardenPolicy

/// One line of an audit journal: a decision, or what came of a forwarded call.
public enum AuditJournalEntry: Equatable, Sendable {
    /// `handle` numbers the decision within its journal; an outcome names it.
    case decision(handle: UInt64, record: AuditRecord)
    /// `sessionID` and `requestID` find the record again when the journal is read back after a crash, once the
    /// handle's row id is no longer known.
    case outcome(handle: UInt64, sessionID: String, requestID: String?, outcome: AuditOutcome, upstreamMicroseconds: Int?)

    /// The entry as one line of JSON, newline included.
    var line: [UInt8] {
        switch self {
        case .decision(let handle, let record):
            return Self.decisionLine(handle: handle, record: record.jsonValue.encodedBytes)
        case .outcome(let handle, let sessionID, let requestID, let outcome, let micros):
            let value: JSONValue = [
                "o": .number(JSONNumber(literal: String(handle))),
                "session": .string(sessionID),
                "requestId": requestID.map { .string($0) } ?? .null,
                "outcome": .string(outcome.description),
                "upstreamMicros": micros.map { .number(JSONNumber($0)) } ?? .null,
            ]
            return value.encodedBytes + [UInt8(ascii: "\n")]
        }
    }

    /// A decision's line, `{"d":HANDLE,"r":RECORD}`, from the record already encoded as JSON.
    static func decisionLine(handle: UInt64, record: [UInt8]) -> [UInt8] {
        var line = Array(#"{"d":\#(handle),"r":"#.utf8)
        line.reserveCapacity(line.count + record.count + 2)
        line += record
        line += [UInt8(ascii: "}"), UInt8(ascii: "\n")]
        return line
    }

    /// The entry a line holds, or nil for a line that is not one (a torn last line, say).
    init?(line: ArraySlice<UInt8>) {
        guard let value = try? line.withUnsafeBytes({ try JSONParser.parse($0) }) else { return nil }
        if let handle = value["d"].flatMap(Self.handle), let record = value["r"].flatMap(AuditRecord.init(journal:)) {
            self = .decision(handle: handle, record: record)
        } else if let handle = value["o"].flatMap(Self.handle), let session = value["session"]?.stringValue,
            let outcome = value["outcome"]?.stringValue
        {
            self = .outcome(
                handle: handle,
                sessionID: session,
                requestID: value["requestId"]?.stringValue,
                outcome: AuditOutcome(stored: outcome),
                upstreamMicroseconds: value["upstreamMicros"]?.intNumber
            )
        } else {
            return nil
        }
    }

    private static func handle(_ value: JSONValue) -> UInt64? {
        guard case .number(let number) = value else { return nil }
        return UInt64(number.literal)
    }

    /// The complete lines in `bytes` and how many bytes they take; a last line without its newline is left out.
    static func split(_ bytes: [UInt8]) -> (entries: [AuditJournalEntry], consumed: Int, unreadable: Int) {
        var entries: [AuditJournalEntry] = []
        var unreadable = 0
        var start = 0
        while let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if end > start {
                if let entry = AuditJournalEntry(line: bytes[start..<end]) { entries.append(entry) } else { unreadable += 1 }
            }
            start = end + 1
        }
        return (entries, start, unreadable)
    }
}

extension JSONValue {
    fileprivate var intNumber: Int? {
        guard case .number(let number) = self else { return nil }
        return number.intValue
    }
}

extension AuditRecord {
    /// The record that ``jsonValue`` wrote, as a journal keeps it; nil when a required field is missing.
    init?(journal value: JSONValue) {
        guard let timeMs = value["timeMs"]?.intNumber, let session = value["session"]?.stringValue,
            let tool = value["tool"]?.stringValue, let decision = value["decision"]?.stringValue
        else { return nil }
        self.init(
            time: Timestamp(millisecondsSinceEpoch: Int64(timeMs)),
            agentID: value["agent"]?.stringValue,
            sessionID: session,
            clientName: value["client"]?.stringValue,
            clientVersion: value["clientVersion"]?.stringValue,
            protocolRevision: value["protocolRevision"]?.stringValue,
            server: value["server"]?.stringValue,
            tool: tool,
            requestID: value["requestId"]?.stringValue,
            decision: AuditDecision(stored: decision),
            rule: value["rule"]?.stringValue,
            reason: value["reason"]?.stringValue,
            argumentsDigest: value["argumentsSha256"]?.stringValue,
            arguments: value["arguments"]?.stringValue,
            outcome: value["outcome"]?.stringValue.map(AuditOutcome.init(stored:)),
            decisionMicroseconds: value["decisionMicros"]?.intNumber,
            upstreamMicroseconds: value["upstreamMicros"]?.intNumber
        )
    }
}
