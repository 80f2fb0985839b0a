/// A shell-style name pattern: `*` matches any run of characters, `?` exactly one, `[abc]`, `[a-z]` and `[!abc]` one
/// from (or not from) a set.
///
/// Compiled once into tokens over Unicode scalars, and matched without allocating, because hide lists and tool
/// selectors are checked on every call.
public struct Glob: Hashable, Sendable, CustomStringConvertible {
    enum Token: Hashable, Sendable {
        case scalar(Unicode.Scalar)
        case any
        case star
        case set(ranges: [ClosedRange<Unicode.Scalar>], negated: Bool)

        var isStar: Bool {
            if case .star = self { return true }
            return false
        }

        func matches(_ scalar: Unicode.Scalar) -> Bool {
            switch self {
            case .scalar(let expected): return scalar == expected
            case .any: return true
            case .star: return true
            case .set(let ranges, let negated):
                var found = false
                for range in ranges where range.contains(scalar) {
                    found = true
                    break
                }
                return found != negated
            }
        }
    }

    /// The pattern as written.
    public let pattern: String
    let tokens: [Token]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.tokens = Self.compile(pattern)
    }

    /// The characters every match starts with: the pattern up to its first wildcard.
    var literalPrefix: [Unicode.Scalar] {
        var prefix: [Unicode.Scalar] = []
        for token in tokens {
            guard case .scalar(let scalar) = token else { break }
            prefix.append(scalar)
        }
        return prefix
    }

    /// Whether `pattern` uses any wildcard; a name without one is matched by equality, which is faster.
    public static func isPattern(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    public var description: String { pattern }

    /// Whether the whole of `name` matches the pattern.
    public func matches(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        var index = scalars.startIndex
        var token = 0
        // Where to resume after the most recent `*`: the token after it, and the next name position it may absorb.
        var starToken = -1
        var starIndex = scalars.startIndex
        while index < scalars.endIndex {
            if token < tokens.count, tokens[token].isStar {
                starToken = token
                token += 1
                starIndex = index
            } else if token < tokens.count, tokens[token].matches(scalars[index]) {
                token += 1
                index = scalars.index(after: index)
            } else if starToken >= 0 {
                token = starToken + 1
                starIndex = scalars.index(after: starIndex)
                index = starIndex
            } else {
                return false
            }
        }
        while token < tokens.count, tokens[token].isStar { token += 1 }
        return token == tokens.count
    }

    private static func compile(_ pattern: String) -> [Token] {
        let scalars = Array(pattern.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            switch scalar {
            case "*":
                if tokens.last?.isStar != true { tokens.append(.star) }
                i += 1
            case "?":
                tokens.append(.any)
                i += 1
            case "[":
                if let (token, next) = compileSet(scalars, from: i + 1) {
                    tokens.append(token)
                    i = next
                } else {
                    // An unclosed `[` stands for itself, as in shells.
                    tokens.append(.scalar(scalar))
                    i += 1
                }
            default:
                tokens.append(.scalar(scalar))
                i += 1
            }
        }
        return tokens
    }

    /// Reads a set starting just after `[`; a `]` right after the opening (or after `!`/`^`) is a member.
    private static func compileSet(_ scalars: [Unicode.Scalar], from start: Int) -> (Token, Int)? {
        var i = start
        var negated = false
        if i < scalars.count, scalars[i] == "!" || scalars[i] == "^" {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        let first = i
        while i < scalars.count {
            let scalar = scalars[i]
            if scalar == "]", i > first {
                return (.set(ranges: ranges, negated: negated), i + 1)
            }
            if i + 2 < scalars.count, scalars[i + 1] == "-", scalars[i + 2] != "]" {
                let upper = scalars[i + 2]
                ranges.append(min(scalar, upper)...max(scalar, upper))
                i += 3
            } else {
                ranges.append(scalar...scalar)
                i += 1
            }
        }
        return nil
    }
}
