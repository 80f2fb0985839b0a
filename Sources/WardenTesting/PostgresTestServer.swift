import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL cluster on 127.0.0.1 for the tests: `initdb` into a temporary directory, password
/// authentication over TCP for a superuser `warden`, `fsync` off. Each test takes a database of its own with
/// ``makeDatabase()``; ``stop()`` and ``start()`` let a test take the server away and bring it back on the same port.
///
/// Run as root (as CI does), the cluster belongs to the `postgres` user that Debian's package creates. The server
/// is stopped when the test process exits.
public final class PostgresTestServer: Sendable {
    public static let password = "warden-test"
    public let port: Int
    let directory: String
    let binaries: String
    let owner: String?

    /// One cluster for the whole test process, started on first use.
    public static func shared() throws -> PostgresTestServer {
        try sharedServer.withLock { server in
            if let server { return server }
            let started = try PostgresTestServer()
            server = started
            return started
        }
    }

    private static let sharedServer = Mutex<PostgresTestServer?>(nil)
    private static let running = Mutex<[String]>([])

    /// Starts a new cluster; throws with the tool's output when PostgreSQL is not installed or does not start.
    public init() throws {
        binaries = try Self.findBinaries()
        owner = getuid() == 0 ? "postgres" : nil
        port = try Self.freePort()
        directory = NSTemporaryDirectory() + "warden-pg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let passwordFile = directory + "/password"
        try Self.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        if let owner { try Self.run(["/bin/chown", "-R", owner, directory]) }
        try runAsOwner([
            binaries + "/initdb", "-D", directory + "/data", "-U", "warden", "--pwfile=" + passwordFile,
            "--auth-host=scram-sha-256", "--auth-local=trust", "--no-sync",
        ])
        try start()
        Self.running.withLock { running in
            if running.isEmpty { atexit { PostgresTestServer.stopEverything() } }
            running.append(directory)
        }
    }

    /// Starts (or starts again) the server on its port; returns once it accepts connections.
    public func start() throws {
        let options = "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(directory) -c fsync=off "
            + "-c max_connections=200"
        try runAsOwner([binaries + "/pg_ctl", "-D", directory + "/data", "-o", options, "-l", directory + "/log", "-w", "-t", "30", "start"])
    }

    /// Stops the server at once (`-m immediate`), as a crash would.
    public func stop() throws {
        try runAsOwner([binaries + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "stop"])
    }

    /// A new, empty database and the URL that reaches it as `warden`.
    public func makeDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try psql("CREATE DATABASE \(name)")
        return url(database: String(name))
    }

    public func url(database: String) -> String {
        "postgres://warden:\(Self.password)@127.0.0.1:\(port)/\(database)"
    }

    /// Runs one statement as `warden` in the `postgres` database.
    public func psql(_ statement: String, database: String = "postgres") throws {
        try Self.run(
            [binaries + "/psql", "-h", "127.0.0.1", "-p", String(port), "-U", "warden", "-d", database, "-v", "ON_ERROR_STOP=1", "-c", statement],
            environment: ["PGPASSWORD": Self.password]
        )
    }

    private func runAsOwner(_ arguments: [String]) throws {
        if let owner {
            try Self.run(["/usr/sbin/runuser", "-u", owner, "--"] + arguments)
        } else {
            try Self.run(arguments)
        }
    }

    private static func stopEverything() {
        guard let binaries = try? findBinaries() else { return }
        let owner: String? = getuid() == 0 ? "postgres" : nil
        for directory in running.withLock({ $0 }) {
            let stop = [binaries + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "stop"]
            try? run(owner.map { ["/usr/sbin/runuser", "-u", $0, "--"] + stop } ?? stop)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) })
        where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw ProcessTestError("PostgreSQL is not installed (no \(root)/*/bin/initdb); scripts/test installs it with apt-get")
    }

    /// Runs a command to its end (at most a minute) and throws with what it wrote to stderr when it fails.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws {
        let process = try RunningProcess(arguments, environment: environment)
        process.closeInput()
        let status = try process.waitForExit(timeout: .seconds(60))
        guard status == 0 else {
            throw ProcessTestError("\(arguments.joined(separator: " ")) exited with \(status): \(process.standardError)")
        }
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else { throw ProcessTestError("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
