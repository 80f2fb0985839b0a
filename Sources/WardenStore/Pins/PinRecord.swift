public import WardenPolicy

/// What Warden trusts about one tool of one server, and the definition it is holding back when the server changed it.
///
/// A definition is pinned by the SHA-256 of its canonical JSON; the canonical text is kept beside it so a person can
/// see what changed (`warden pins diff`) before accepting it.
public struct PinRecord: Sendable, Hashable {
    public var server: String
    public var tool: String
    /// The definition a person (or first sight) accepted; nil for a new tool held until someone accepts it.
    public var trustedFingerprint: String?
    public var trustedDefinition: String?
    /// The definition the server now offers, when it differs from the trusted one: the tool is held until accepted.
    public var pendingFingerprint: String?
    public var pendingDefinition: String?
    public var firstSeen: Timestamp
    /// When the server last offered a definition other than the trusted one.
    public var changedAt: Timestamp?
    public var acceptedBy: String?
    public var acceptedAt: Timestamp?

    public init(
        server: String,
        tool: String,
        trustedFingerprint: String? = nil,
        trustedDefinition: String? = nil,
        pendingFingerprint: String? = nil,
        pendingDefinition: String? = nil,
        firstSeen: Timestamp,
        changedAt: Timestamp? = nil,
        acceptedBy: String? = nil,
        acceptedAt: Timestamp? = nil
    ) {
        self.server = server
        self.tool = tool
        self.trustedFingerprint = trustedFingerprint
        self.trustedDefinition = trustedDefinition
        self.pendingFingerprint = pendingFingerprint
        self.pendingDefinition = pendingDefinition
        self.firstSeen = firstSeen
        self.changedAt = changedAt
        self.acceptedBy = acceptedBy
        self.acceptedAt = acceptedAt
    }

    /// Whether the tool is held: its current definition awaits a person's review.
    public var isHeld: Bool { pendingFingerprint != nil }

    /// How the pin reads to a person: `trusted`, `changed` (a trusted definition was replaced) or `held-new`.
    public var stateName: String {
        guard isHeld else { return "trusted" }
        return trustedFingerprint == nil ? "held-new" : "changed"
    }
}

/// One tool as a server lists it now: its name, fingerprint and canonical definition (see `ToolFingerprint`).
public struct PinObservation: Sendable, Hashable {
    public var tool: String
    public var fingerprint: String
    public var definition: String

    public init(tool: String, fingerprint: String, definition: String) {
        self.tool = tool
        self.fingerprint = fingerprint
        self.definition = definition
    }
}

/// What the pin store made of one observed tool.
public enum PinVerdict: Sendable, Hashable {
    /// The definition is the trusted one.
    case trusted
    /// A trusted definition exists and the server now offers another one: held until a person accepts it.
    case changed
    /// Never accepted, and new tools are held (`pins: {new_tools: hold}`).
    case new
}
