import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store lives, read from a `postgres://user:pass@host:port/db?sslmode=…` URL.
///
/// `${NAME}` in the URL is replaced by that environment variable (so a config file need not hold the password), and
/// a URL without a password takes `PGPASSWORD`. `sslmode` is `disable` (the default), `require` (encrypted, the
/// server's certificate not checked) or `verify-full` (checked against `sslrootcert=FILE`, or the system's CAs, and
/// the host name). Anything else is refused, so a typo never silently means "no TLS".
struct PostgresLocation: Sendable {
    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String
    var sslMode: String
    var rootCertificate: String?
    /// The URL with its password hidden, for messages.
    var display: String

    init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        let expanded = try Self.expanding(text, environment: environment)
        display = StoreDSN.redacted(text)
        guard let components = URLComponents(string: expanded), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw Self.invalid(display, "not a postgres:// URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else { throw Self.invalid(display, "the URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw Self.invalid(display, "the URL names no user") }
        self.host = host
        port = components.port ?? 5432
        username = user.removingPercentEncoding ?? user
        password = (components.password?.removingPercentEncoding ?? components.password) ?? environment["PGPASSWORD"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : (path.removingPercentEncoding ?? path)
        var sslMode = "disable"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode": sslMode = item.value ?? ""
            case "sslrootcert": rootCertificate = item.value
            case "password": password = item.value
            default: throw Self.invalid(display, "unknown parameter `\(item.name)`; known: sslmode, sslrootcert")
            }
        }
        guard ["disable", "require", "verify-full"].contains(sslMode) else {
            throw Self.invalid(display, "sslmode must be disable, require or verify-full, not `\(sslMode)`")
        }
        self.sslMode = sslMode
    }

    /// The connection settings, with a TLS context built for `sslmode`.
    func configuration() throws(StoreError) -> PostgresConnection.Configuration {
        var tls = PostgresConnection.Configuration.TLS.disable
        if sslMode != "disable" {
            var settings = TLSConfiguration.makeClientConfiguration()
            if sslMode == "require" {
                settings.certificateVerification = .none
            } else if let rootCertificate {
                settings.trustRoots = .file(rootCertificate)
            }
            do {
                tls = .require(try NIOSSLContext(configuration: settings))
            } catch {
                throw Self.invalid(display, "cannot set TLS up: \(error)")
            }
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.connectTimeout = .seconds(3)
        if sslMode == "verify-full" { configuration.options.tlsServerName = host }
        return configuration
    }

    /// Replaces `${NAME}` with the variable's value; an unset variable is an error naming it.
    static func expanding(_ text: String, environment: [String: String]) throws(StoreError) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw invalid(StoreDSN.redacted(text), "`${` without a closing `}`")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                throw invalid(StoreDSN.redacted(text), "the environment variable \(name) is not set")
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    static func invalid(_ location: String, _ message: String) -> StoreError {
        StoreError(code: .invalidLocation, location: location, message: message)
    }
}
