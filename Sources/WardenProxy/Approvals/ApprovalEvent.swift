public import WardenJSON
public import WardenStore

/// Something that happened to an approval, as the webhook announces it.
public struct ApprovalEvent: Sendable, Hashable {
    /// Which announcement this is: its name is the `event` field of the POST.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case pending = "approval.pending"
            case resolved = "approval.resolved"
        }

        private let base: Base

        /// A call is held and waits for a person.
        public static let pending = Kind(base: .pending)
        /// The approval left `pending`: approved, denied, expired or withdrawn.
        public static let resolved = Kind(base: .resolved)

        public var description: String { base.rawValue }
    }

    public var kind: Kind
    public var approval: ApprovalRecord

    public init(kind: Kind, approval: ApprovalRecord) {
        self.kind = kind
        self.approval = approval
    }

    public static func pending(_ approval: ApprovalRecord) -> ApprovalEvent {
        ApprovalEvent(kind: .pending, approval: approval)
    }

    public static func resolved(_ approval: ApprovalRecord) -> ApprovalEvent {
        ApprovalEvent(kind: .resolved, approval: approval)
    }

    /// One line for a person, in Slack's `text` format (so `&`, `<` and `>` from agents and tools are escaped).
    public var text: String {
        let record = approval
        let tool = record.server.map { "\(record.tool) on \($0)" } ?? record.tool
        switch kind {
        case .pending:
            let rule = record.rule.map { " (rule \"\($0)\")" } ?? ""
            return Self.escaped(
                "Warden: \(record.agentID ?? "an agent") wants to call \(tool)\(rule): \(record.reason ?? "approval required"). "
                    + "Approve: warden approvals approve \(record.id) — deny: warden approvals deny \(record.id) --reason …"
            )
        default:
            let by = record.resolvedBy.map { " by \($0)" } ?? ""
            let why = record.resolutionReason.map { ": \($0)" } ?? ""
            return Self.escaped("Warden: the call to \(tool) (approval \(record.id)) was \(record.state)\(by)\(why).")
        }
    }

    /// The body of the POST: `event`, the `approval` record and the `text` line.
    public var jsonValue: JSONValue {
        ["event": .string(kind.description), "approval": approval.jsonValue, "text": .string(text)]
    }

    private static func escaped(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }
}
