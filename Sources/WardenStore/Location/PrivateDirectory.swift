import Foundation

/// The store's directories: created with any missing parents, readable by their owner only, since the files in them
/// hold decisions, held calls and, where the policy keeps them, arguments.
enum PrivateDirectory {
    static func create(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}
