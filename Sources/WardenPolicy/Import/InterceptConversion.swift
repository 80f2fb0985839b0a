/// The Warden policy made from an Intercept policy, and every place where it cannot behave exactly the same.
public struct InterceptConversion: Hashable, Sendable {
    /// One thing the Warden policy does not carry over exactly, with where it is in the Intercept file and why.
    public struct Note: Hashable, Sendable, CustomStringConvertible {
        /// What kind of difference it is, as a stable code tests and tools match on.
        public struct Kind: Hashable, Sendable, CustomStringConvertible {
            private enum Base: String, Hashable, Sendable {
                case calendarWindow, amountRounding, nullArgument, regexDialect, looseElementMatch, failClosed, ignoredKey
            }

            private let base: Base

            private init(_ base: Base) { self.base = base }

            /// Intercept counts per calendar minute, hour or day in UTC; Warden counts in a sliding window.
            public static let calendarWindow = Kind(.calendarWindow)
            /// `increment_from` amounts: Intercept drops the fraction and lets a negative amount lower the counter.
            public static let amountRounding = Kind(.amountRounding)
            /// `neq` / `not_in` on an argument sent as JSON `null`: Intercept counts it as present, Warden as absent.
            public static let nullArgument = Kind(.nullArgument)
            /// `regex`: RE2 in Intercept, Swift's regular expressions in Warden, which refuses strings over 16 KiB.
            public static let regexDialect = Kind(.regexDialect)
            /// `contains` on an array: Intercept matches an element spelled like the operand when printed by Go.
            public static let looseElementMatch = Kind(.looseElementMatch)
            /// A condition Warden cannot express; the converted rule denies every call it selects instead.
            public static let failClosed = Kind(.failClosed)
            /// A key Intercept ignores; the conversion ignores it too.
            public static let ignoredKey = Kind(.ignoredKey)

            public var description: String { base.rawValue }
        }

        public var kind: Kind
        /// Where the Intercept file has the feature.
        public var position: SourcePosition
        /// What differs and what the Warden policy does instead, in one or two sentences.
        public var message: String

        public init(kind: Kind, position: SourcePosition, message: String) {
            self.kind = kind
            self.position = position
            self.message = message
        }

        public var description: String { "\(position): \(message)" }
    }

    /// The Warden policy, as YAML text that `PolicyLoader` accepts.
    public var yaml: String
    /// What is not carried over exactly, in the order of the Intercept file.
    public var notes: [Note]

    public init(yaml: String, notes: [Note]) {
        self.yaml = yaml
        self.notes = notes
    }
}
