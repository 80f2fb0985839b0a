/// The `format` values Warden can check, when built with `strictFormats`; otherwise formats are annotations only.
///
/// Each check is written out by hand over Unicode scalars (no Foundation parsers, whose leniency varies by
/// platform), following the RFC the specification names.
struct FormatCheck: Sendable {
    private let admitting: @Sendable (String) -> Bool

    /// The check for `name`, or nil for a format Warden does not know, which then constrains nothing.
    init?(named name: String) {
        switch name {
        case "date-time": admitting = DateTimeFormat.isDateTime
        case "date": admitting = DateTimeFormat.isFullDate
        case "email": admitting = AddressFormat.isEmail
        case "uri": admitting = AddressFormat.isURI
        case "uuid": admitting = AddressFormat.isUUID
        case "ipv4": admitting = AddressFormat.isIPv4
        default: return nil
        }
    }

    func admits(_ string: String) -> Bool { admitting(string) }
}
