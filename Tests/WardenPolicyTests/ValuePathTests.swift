import Testing
import WardenPolicy

struct ValuePathTests {
    @Test(
        "paths parse into a root and steps and print back as written",
        arguments: [
            "args", "args.a", "args.a.b[0]", "args.items[0].sku", "args.matrix[1][2]", "args.with-dash.and_underscore",
            "agent.id", "agent.groups", "session.id", "client.name", "tool", "server", "category", "time.hour", "time.weekday",
        ]
    )
    func roundTrip(text: String) throws {
        #expect(try ValuePath(parsing: text).description == text)
    }

    @Test("steps below `args` are keys and indexes")
    func steps() throws {
        let path = try ValuePath(parsing: "args.items[3].sku")
        #expect(path.root == .args)
        #expect(path.steps == [.key("items"), .index(3), .key("sku")])
        #expect(try ValuePath(parsing: "agent.groups").root == .agentGroups)
    }

    @Test(
        "malformed paths are refused with the fix",
        arguments: [
            ("argz.a", "unknown path `argz.a`; did you mean `args`?"),
            ("args..a", "path `args..a` has an empty part; write names between the dots, like `args.a.b`"),
            ("args.a[", "path `args.a[` has `[` without `]`; write indexes like `args.items[0]`"),
            ("args.a[-1]", "path `args.a[-1]` has index `[-1]`; an index is a whole number ≥ 0, like `[0]`"),
            ("args.a[0]b", "path `args.a[0]b` has `b` where `.` or `[` should be; write paths like `args.items[0].sku`"),
            ("tool.name", "`tool` is a plain value and has no parts; write `tool`, not `tool.name`"),
            ("agent", "unknown path `agent`; `agent` has `agent.id`, `agent.groups`"),
            ("session.key", "unknown path `session.key`; did you mean `session.id`?"),
            (
                "arguments.x",
                "unknown path `arguments.x`; a path starts with one of `args`, `agent`, `session`, `client`, `tool`, `server`, `category`, `time`"
            ),
        ]
    )
    func refusesMalformed(text: String, message: String) {
        #expect(throws: ValuePath.ParseError(message: message)) { try ValuePath(parsing: text) }
    }
}
