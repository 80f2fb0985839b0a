import Foundation

/// This process as the owner of what it writes to a shared store (held calls, pending reservations, its listing):
/// its pid and a random part, so a reused pid is not mistaken for it.
public enum StoreOwner {
    public static let current = "\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.lowercased().prefix(8))"
}
