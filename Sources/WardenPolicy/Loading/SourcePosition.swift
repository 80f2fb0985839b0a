/// A place in a policy file, printed as `file:line:column` so editors and terminals can jump to it.
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    public var fileName: String
    /// Line number, starting at 1.
    public var line: Int
    /// Column number, starting at 1, counted in Unicode scalars.
    public var column: Int

    public init(fileName: String, line: Int, column: Int) {
        self.fileName = fileName
        self.line = line
        self.column = column
    }

    public var description: String { "\(fileName):\(line):\(column)" }
}
