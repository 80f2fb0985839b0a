public import WardenJSON
import WardenPolicy

extension PinRecord {
    /// The pin for programs (`warden pins list --json`, `GET /admin/pins`): every field, `null` when absent.
    ///
    /// Definitions are left out (`warden pins diff` and the diff route show them); the key names only ever grow.
    public var jsonValue: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        func time(_ value: Timestamp?) -> JSONValue { value.map { .string($0.iso8601) } ?? .null }
        return [
            "server": .string(server),
            "tool": .string(tool),
            "state": .string(stateName),
            "trustedFingerprint": text(trustedFingerprint),
            "pendingFingerprint": text(pendingFingerprint),
            "firstSeen": time(firstSeen),
            "changedAt": time(changedAt),
            "acceptedBy": text(acceptedBy),
            "acceptedAt": time(acceptedAt),
        ]
    }
}
