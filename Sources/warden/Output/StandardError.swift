import Foundation

/// Writes a line to stderr: in stdio mode stdout belongs to the protocol.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
