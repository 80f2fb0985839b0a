public import WardenJSON
public import WardenStore

/// A tool whose definition Warden is holding for review, as the approval webhook announces it.
///
/// The same webhook as approvals, because the same people decide: a changed definition, like a held call, waits
/// until someone looks (`warden pins diff`, then `warden pins accept`).
public struct PinEvent: Sendable, Hashable {
    /// Which announcement this is: its name is the `event` field of the POST.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case changed = "pin.changed"
        }

        private let base: Base

        /// A server offers a definition other than the trusted one (or a new tool, held): it is hidden until accepted.
        public static let changed = Kind(base: .changed)

        public var description: String { base.rawValue }
    }

    public var kind: Kind
    /// The pin after the change was observed: its pending fingerprint is the definition held.
    public var pin: PinRecord

    public init(kind: Kind, pin: PinRecord) {
        self.kind = kind
        self.pin = pin
    }

    public static func changed(_ pin: PinRecord) -> PinEvent {
        PinEvent(kind: .changed, pin: pin)
    }

    /// One line for a person, in Slack's `text` format (the server names the tool, so `&`, `<` and `>` are escaped).
    public var text: String {
        let (server, tool) = (pin.server, pin.tool)
        let what =
            pin.trustedFingerprint == nil
            ? "lists a new tool \(tool) (\(PinAudit.short(pin.pendingFingerprint)))"
            : "changed the definition of \(tool) (\(PinAudit.short(pin.trustedFingerprint))→\(PinAudit.short(pin.pendingFingerprint)))"
        return Self.escaped(
            "Warden: \(server) \(what); the tool is held until a person accepts it. "
                + "Review: warden pins diff \(server) \(tool) — accept: warden pins accept \(server) \(tool)"
        )
    }

    /// The body of the POST: `event`, `server`, `tool`, `state`, the short `oldFingerprint` and `newFingerprint`
    /// (null for a side that has none), the whole `pin` record and the `text` line.
    public var jsonValue: JSONValue {
        [
            "event": .string(kind.description),
            "server": .string(pin.server),
            "tool": .string(pin.tool),
            "state": .string(pin.stateName),
            "oldFingerprint": pin.trustedFingerprint.map { JSONValue.string(PinAudit.short($0)) } ?? .null,
            "newFingerprint": pin.pendingFingerprint.map { JSONValue.string(PinAudit.short($0)) } ?? .null,
            "pin": pin.jsonValue,
            "text": .string(text),
        ]
    }

    private static func escaped(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }
}
