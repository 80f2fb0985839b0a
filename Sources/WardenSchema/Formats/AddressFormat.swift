/// `email` (RFC 5321 dot-atoms), `uri` (RFC 3986, absolute), `uuid` (RFC 4122) and `ipv4` (dotted quad).
enum AddressFormat {
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last else { return false }
        let atom = "!#$%&'*+-/=?^_`{|}~"
        func isDotAtom(_ part: Substring, extra: String) -> Bool {
            guard !part.isEmpty, !part.hasPrefix("."), !part.hasSuffix("."), !part.contains("..") else { return false }
            return part.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "." || extra.unicodeScalars.contains($0) }
        }
        if domain.hasPrefix("[") && domain.hasSuffix("]") {
            return isDotAtom(local, extra: atom) && isIPv4(String(domain.dropFirst().dropLast()))
        }
        return isDotAtom(local, extra: atom) && isDotAtom(domain, extra: "-")
    }

    /// An absolute URI: a scheme, `:`, then only characters RFC 3986 allows, with well-formed `%XX` escapes.
    static func isURI(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let colon = scalars.firstIndex(of: ":"), colon > 0, isLetter(scalars[0]) else { return false }
        guard scalars[1..<colon].allSatisfy({ isAlphanumeric($0) || $0 == "+" || $0 == "-" || $0 == "." }) else { return false }
        let allowed = "-._~:/?#[]@!$&'()*+,;="
        var index = colon + 1
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "%" {
                guard index + 2 < scalars.count, scalars[index + 1].properties.isASCIIHexDigit,
                    scalars[index + 2].properties.isASCIIHexDigit
                else { return false }
                index += 3
                continue
            }
            guard isAlphanumeric(scalar) || allowed.unicodeScalars.contains(scalar) else { return false }
            index += 1
        }
        return true
    }

    static func isUUID(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 36 else { return false }
        for (index, scalar) in scalars.enumerated() {
            let isDash = [8, 13, 18, 23].contains(index)
            guard isDash ? scalar == "-" : scalar.properties.isASCIIHexDigit else { return false }
        }
        return true
    }

    static func isIPv4(_ text: String) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4
            && octets.allSatisfy { octet in
                guard (1...3).contains(octet.count), octet.unicodeScalars.allSatisfy(DateTimeFormat.isDigit) else { return false }
                guard octet.count == 1 || !octet.hasPrefix("0") else { return false }
                return Int(octet).map { $0 <= 255 } ?? false
            }
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool { isLetter(scalar) || DateTimeFormat.isDigit(scalar) }
}
