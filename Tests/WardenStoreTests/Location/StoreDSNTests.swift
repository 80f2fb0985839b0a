import Testing
import WardenPolicy
import WardenStore
import WardenTesting

struct StoreDSNTests {
    @Test(
        "sqlite: paths are taken as given, with a leading ~ expanded from HOME",
        arguments: [
            ("sqlite:~/.warden/warden.db", "/home/ada/.warden/warden.db"),
            ("sqlite:~", "/home/ada"),
            ("sqlite:/var/lib/warden/warden.db", "/var/lib/warden/warden.db"),
            ("sqlite:///var/lib/warden/warden.db", "/var/lib/warden/warden.db"),
            ("SQLite:relative/warden.db", "relative/warden.db"),
        ]
    )
    func sqlitePaths(text: String, path: String) throws {
        let dsn = try StoreDSN(parsing: text, home: "/home/ada")
        #expect(dsn == .sqlite(path: path))
        #expect(dsn.description == "sqlite:" + path)
    }

    @Test("memory: names the in-memory store, which opens at once")
    func memory() throws {
        #expect(try StoreDSN(parsing: "memory:", home: nil) == .memory)
        #expect(try StoreDSN(parsing: "memory:", home: nil).makeLimitStore() is MemoryLimitStore)
    }

    @Test("postgres URLs are recognized, print without their password, and open PostgreSQL stores")
    func postgresURLs() throws {
        let dsn = try StoreDSN(parsing: "postgres://warden:s3cret@db.internal:5432/warden?sslmode=require&password=also", home: nil)
        #expect(dsn.kind == .postgres)
        #expect(dsn.description == "postgres://warden:***@db.internal:5432/warden?sslmode=require&password=***")
        #expect(try dsn.makeLimitStore() is PostgresLimitStore)
        #expect(try dsn.makePinStore() is PostgresPinStore)
        #expect(dsn.isShared && StoreDSN.sqlite(path: "/x").isShared && !StoreDSN.memory.isShared)
        #expect(try StoreDSN(parsing: "postgresql://localhost/warden", home: nil).kind == .postgres)
    }

    @Test(
        "malformed values are refused with a fix",
        arguments: [
            ("sqlite:", "needs a file path"),
            ("sqlite:~bob/warden.db", "only `~/` is expanded"),
            ("/var/lib/warden.db", "did you mean `sqlite:/var/lib/warden.db`?"),
            ("redis://localhost", "expected `sqlite:PATH`, `postgres://…` or `memory:`"),
        ]
    )
    func malformed(text: String, hint: String) {
        let error = #expect(throws: StoreError.self) { try StoreDSN(parsing: text, home: "/home/ada") }
        #expect(error?.code == .invalidLocation)
        #expect(error?.message.contains(hint) == true, "\(error?.message ?? "")")
    }

    @Test("~ cannot be expanded without HOME, and the error says what to do")
    func noHome() {
        let error = #expect(throws: StoreError.self) { try StoreDSN(parsing: "sqlite:~/warden.db", home: nil) }
        #expect(error?.message.contains("HOME is not set") == true)
    }

    @Test("the default SQLite file is ~/.warden/warden.db")
    func defaultPath() {
        #expect(StoreLocation.defaultSQLitePath(home: "/home/ada") == "/home/ada/.warden/warden.db")
        #expect(StoreLocation.defaultSQLitePath(home: "/home/ada/") == "/home/ada/.warden/warden.db")
    }

    @Test("opening a sqlite: store creates its directory and file")
    func opensSQLite() async throws {
        try await withTemporaryDirectory { directory in
            let dsn = try StoreDSN(parsing: "sqlite:~/nested/warden.db", home: directory)
            let store = try dsn.makeLimitStore()
            let verdict = try await store.reserve([], at: start)
            #expect(verdict.isAdmitted)
            #expect(store is SQLiteLimitStore)
        }
    }
}
