/// Why a condition could not be judged: a value too long to test in bounded time, or JSON text Warden cannot read.
///
/// A call Warden cannot judge is denied with this reason, never let through on a guess: a positive test that
/// silently failed would let a deny rule miss, and a negative one that silently held would let an allow rule match.
public struct Unjudgeable: Hashable, Sendable, CustomStringConvertible {
    /// What made the value impossible to judge.
    public enum Cause: Hashable, Sendable {
        /// A string longer than `limit` bytes of UTF-8 under `matches` or `not_matches`.
        case tooLongToMatch(operator: TestOperator, bytes: Int, limit: Int)
        /// A string that may hold a number, longer than `limit` bytes, under a test that reads numbers.
        case tooLongToReadAsNumber(bytes: Int, limit: Int)
        /// A string holding JSON that a path runs through, longer than `limit` bytes.
        case jsonTooLong(bytes: Int, limit: Int)
        /// A string that looks like a JSON object or array that a path runs through, but that Warden cannot read.
        case unreadableJSON(String)
        /// A string holding a number that servers read differently (exactly, or rounded to a double), under a test
        /// that reads numbers.
        case ambiguousNumber(String)
    }

    /// The path whose value could not be judged.
    public var path: ValuePath
    public var cause: Cause

    public init(path: ValuePath, cause: Cause) {
        self.path = path
        self.cause = cause
    }

    /// "the value of args.sql is too long to judge against `matches` (4194304 bytes; limit 16384)".
    public var description: String {
        switch cause {
        case .tooLongToMatch(let op, let bytes, let limit):
            "the value of \(path) is too long to judge against `\(op)` (\(bytes) bytes; limit \(limit))"
        case .tooLongToReadAsNumber(let bytes, let limit):
            "the value of \(path) is too long to read as a number (\(bytes) bytes; limit \(limit))"
        case .jsonTooLong(let bytes, let limit):
            "the value of \(path) runs through a string holding JSON too long to read (\(bytes) bytes; limit \(limit))"
        case .unreadableJSON(let problem):
            "the value of \(path) runs through a string that looks like JSON but cannot be read (\(problem))"
        case .ambiguousNumber(let problem):
            "the value of \(path) cannot be judged as a number: \(problem)"
        }
    }
}
