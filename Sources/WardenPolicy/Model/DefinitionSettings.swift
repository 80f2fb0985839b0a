/// How a policy treats the tool definitions the server lists: argument checks, pins, poisoning.
public struct DefinitionSettings: Hashable, Sendable {
    /// What happens to a tool whose definition carries instructions aimed at the model.
    public enum PoisoningMode: String, Hashable, Sendable, CaseIterable {
        /// Not listed; a call is denied with the finding as the reason.
        case hide
        /// Listed and callable; every finding is logged and audited.
        case flag
        /// Not checked.
        case off
    }

    /// What happens when a tool's definition differs from the one a person accepted.
    public enum PinMode: String, Hashable, Sendable, CaseIterable {
        /// The changed tool is hidden and its calls denied until a person accepts the change.
        case enforce
        /// The change is logged and audited; the tool works.
        case warn
        /// Definitions are not pinned.
        case off
    }

    /// Check every call's arguments against the tool's `inputSchema` (`validate_arguments:`, on unless turned off).
    public var validateArguments: Bool
    /// Treat `format` (uri, date-time, email) as an assertion rather than an annotation (`strict_formats:`).
    public var strictFormats: Bool
    public var poisoning: PoisoningMode
    public var pinMode: PinMode
    /// Hold a tool seen for the first time until a person accepts it (`pins: {new_tools: hold}`) instead of
    /// trusting its first definition.
    public var holdNewTools: Bool

    public init(
        validateArguments: Bool = true, strictFormats: Bool = false, poisoning: PoisoningMode = .hide,
        pinMode: PinMode = .enforce, holdNewTools: Bool = false
    ) {
        self.validateArguments = validateArguments
        self.strictFormats = strictFormats
        self.poisoning = poisoning
        self.pinMode = pinMode
        self.holdNewTools = holdNewTools
    }
}
