import WardenStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// This process as the owner of the calls it holds: its pid and a random part, so a reused pid is not mistaken.
public enum InstanceID {
    public static let current = StoreOwner.current

    /// Whether the process that wrote `instance` still runs (on this machine, which shares the SQLite file).
    public static func isAlive(_ instance: String) -> Bool {
        guard instance != current else { return true }
        guard let pid = instance.split(separator: ":").first.flatMap({ Int32($0) }) else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
