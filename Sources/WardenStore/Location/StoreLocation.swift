import Foundation

/// Where Warden keeps its data when nothing else is said, and how `~` in a store path is read.
public enum StoreLocation {
    /// `~/.warden/warden.db`: zero setup for one user on one machine. Throws when `HOME` is not set.
    public static var defaultSQLitePath: String {
        get throws(StoreError) {
            try expandingTilde(in: "~/.warden/warden.db", home: ProcessInfo.processInfo.environment["HOME"])
        }
    }

    /// `~/.warden/warden.db` under the given home directory.
    public static func defaultSQLitePath(home: String) -> String {
        join(home, ".warden/warden.db")
    }

    /// Replaces a leading `~` or `~/` with `home`; other paths are returned unchanged.
    ///
    /// `~user` is refused rather than guessed at: looking up another user's home is not worth a surprise.
    public static func expandingTilde(in path: String, home: String?) throws(StoreError) -> String {
        guard path.hasPrefix("~") else { return path }
        guard path == "~" || path.hasPrefix("~/") else {
            throw StoreError(
                code: .invalidLocation,
                location: path,
                message: "only `~/` is expanded in a store path; write the full path instead"
            )
        }
        guard let home, !home.isEmpty else {
            throw StoreError(
                code: .invalidLocation,
                location: path,
                message: "cannot expand `~`: HOME is not set; set HOME or give the full path, as in `sqlite:/var/lib/warden/warden.db`"
            )
        }
        return join(home, String(path.dropFirst(2)))
    }

    private static func join(_ directory: String, _ relative: String) -> String {
        if relative.isEmpty { return directory }
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }
}
