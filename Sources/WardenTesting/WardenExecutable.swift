import Foundation

/// Where the `warden` executable built with the tests lives.
public enum WardenExecutable {
    /// The path of `warden` next to the running test binary, or `$WARDEN_BIN` when set.
    public static var path: String {
        if let override = ProcessInfo.processInfo.environment["WARDEN_BIN"], !override.isEmpty { return override }
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        // On some platforms the tests are a bundle: climb out of it.
        while directory.path.contains(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("warden").path
    }
}
