import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The store's database file: readable and writable by its owner only, like its directory and the audit journals,
/// since it holds held calls with their arguments and the audit trail.
///
/// SQLite creates a missing database file with mode 0644 (less the umask), and its `-wal` and `-shm` files copy the
/// database file's mode; creating the file first with 0600 makes all three private.
enum PrivateFile {
    /// The file modes, beyond the owner's, that a store file must not have.
    static let groupAndOther: mode_t = 0o077

    /// Creates the database file at `path` empty with mode 0600 when it is missing, and takes group and other
    /// permissions off it and its `-wal`, `-shm` and `-journal` files when an older Warden left them readable.
    ///
    /// An existing file is never opened here: closing any descriptor of a file drops every POSIX lock this process
    /// holds on it, so opening and closing a database another connection of this process has open would corrupt it.
    static func prepare(_ path: String) throws {
        guard !path.isEmpty, path != ":memory:" else { return }
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EACCES)
        }
        var status = stat()
        for file in [path, path + "-wal", path + "-shm", path + "-journal"]
        where stat(file, &status) == 0 && status.st_mode & groupAndOther != 0 {
            _ = chmod(file, status.st_mode & 0o700)
        }
    }
}
