/// Finds the word a person most likely meant, for "did you mean" hints in load errors.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a plausible typo.
    public static func closest(to word: String, among candidates: [String], aliases: [String: String] = [:]) -> String? {
        let lowered = word.lowercased()
        if let alias = aliases[lowered] { return alias }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        // Short words tolerate one edit, longer ones about a third of their length.
        if let best, best.distance <= max(1, min(word.count, best.candidate.count) / 3) { return best.candidate }
        // An abbreviation (`exec` for `execute`) is a plausible slip too, when it points at one candidate only.
        let extended = candidates.filter { lowered.count >= 3 && $0.lowercased().hasPrefix(lowered) }
        return extended.count == 1 ? extended[0] : nil
    }

    /// Levenshtein distance counted in characters, with a transposition counted as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
