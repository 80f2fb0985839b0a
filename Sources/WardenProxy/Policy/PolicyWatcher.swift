import Foundation
public import Logging
public import ServiceLifecycle
public import WardenPolicy

/// Reloads a policy file when it changes; an edit that does not load is refused and the old policy stays.
///
/// It polls the file's metadata (cheap, and it sees editors that replace the file as well as those that write
/// in place) and loads only when the text really changed. Limit counters live in the store, keyed by rule, so
/// a reload never hands out fresh quota. A `Service`: it stops on its group's graceful shutdown.
public struct PolicyWatcher: Service {
    public let path: String
    public let holder: PolicyHolder
    public let interval: Duration
    public let logger: Logger
    /// Problems that make a loadable policy unacceptable to this proxy (for example features it cannot enforce).
    public let vet: @Sendable (Policy) -> [String]

    public init(
        path: String,
        holder: PolicyHolder,
        interval: Duration = .milliseconds(500),
        logger: Logger,
        vet: @escaping @Sendable (Policy) -> [String] = { _ in [] }
    ) {
        self.path = path
        self.holder = holder
        self.interval = interval
        self.logger = logger
        self.vet = vet
    }

    /// Watches until the task is cancelled or its service group shuts down.
    public func run() async {
        await cancelWhenGracefulShutdown { await watch() }
    }

    private func watch() async {
        var lastText = try? String(contentsOfFile: path, encoding: .utf8)
        var lastStamp = stamp()
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let current = stamp()
            guard current != lastStamp else { continue }
            lastStamp = current
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                logger.warning("policy file cannot be read; keeping the policy in force", metadata: ["policy.path": "\(path)"])
                continue
            }
            guard text != lastText else { continue }
            lastText = text
            _ = reload(text)
        }
    }

    /// Loads `text` and puts it in force if it is acceptable; returns the problems otherwise.
    @discardableResult
    public func reload(_ text: String) -> [String] {
        let policy: Policy
        do {
            policy = try PolicyLoader.load(yaml: text, fileName: path)
        } catch {
            let problems = error.errors.map(\.description)
            logger.error(
                "policy edit refused; the previous policy stays in force",
                metadata: ["policy.path": "\(path)", "policy.errors": "\(problems.joined(separator: "; "))"]
            )
            return problems
        }
        let problems = vet(policy)
        guard problems.isEmpty else {
            logger.error(
                "policy edit refused; the previous policy stays in force",
                metadata: ["policy.path": "\(path)", "policy.errors": "\(problems.joined(separator: "; "))"]
            )
            return problems
        }
        holder.replace(with: CompiledPolicy(policy))
        logger.notice("policy reloaded", metadata: ["policy.path": "\(path)", "policy.rules": "\(policy.rules.count)"])
        return []
    }

    private struct Stamp: Equatable {
        var modified: Date?
        var size: Int?
        var inode: Int?
    }

    private func stamp() -> Stamp {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return Stamp() }
        return Stamp(
            modified: attributes[.modificationDate] as? Date,
            size: (attributes[.size] as? NSNumber)?.intValue,
            inode: (attributes[.systemFileNumber] as? NSNumber)?.intValue
        )
    }
}
