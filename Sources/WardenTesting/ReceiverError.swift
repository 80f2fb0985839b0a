/// Why a loopback server written for a test could not start or serve, said in words for the test's failure message.
public struct ReceiverError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
