import Foundation

/// Stdout for `warden audit`, written straight to the descriptor so a follower reading a pipe sees each batch at once.
enum AuditOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
