import Testing
import WardenJSON
import WardenPolicy

struct GlobTests {
    @Test(
        "globs match the whole name with `*`, `?` and sets",
        arguments: [
            ("delete_*", "delete_record", true), ("delete_*", "delete_", true), ("delete_*", "undelete_x", false),
            ("*_admin", "valkey_admin", true), ("*_admin", "valkey_admins", false), ("*", "", true), ("*", "anything", true),
            ("a*b*c", "abc", true), ("a*b*c", "aXbYc", true), ("a*b*c", "aXbY", false), ("a*b*c", "abcbc", true),
            ("file_?", "file_1", true), ("file_?", "file_12", false), ("file_?", "file_", false), ("?", "é", true),
            ("v[0-9]", "v7", true), ("v[0-9]", "vx", false), ("v[!0-9]", "vx", true), ("v[^0-9]", "v3", false),
            ("[abc]_tool", "b_tool", true), ("[abc]_tool", "d_tool", false), ("[]]x", "]x", true), ("[a-]", "-", true),
            ("unclosed[", "unclosed[", true), ("exact", "exact", true), ("exact", "exactly", false), ("**x", "abx", true),
            ("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ]
    )
    func matching(pattern: String, name: String, matches: Bool) {
        #expect(Glob(pattern).matches(name) == matches)
    }

    @Test("hide takes exact names and globs")
    func hide() {
        let policy = compile("version: 1\nhide: [valkey_admin, \"delete_*\", \"tmp_?\"]\n")
        #expect(policy.isHidden("valkey_admin"))
        #expect(policy.isHidden("delete_record"))
        #expect(policy.isHidden("tmp_1"))
        #expect(!policy.isHidden("tmp_12"))
        #expect(!policy.isHidden("valkey_admin2"))
        #expect(!policy.isHidden("get_record"))
        #expect(!compile("version: 1").isHidden("anything"))
    }

    @Test("a name matcher sorts patterns into exact names and globs")
    func nameMatcher() {
        let matcher = NameMatcher(["a", "b*", "c"])
        #expect(matcher.exact == [ScalarKey("a"), ScalarKey("c")])
        #expect(matcher.globs.map(\.pattern) == ["b*"])
        #expect(matcher.matches("a") && matcher.matches("bob") && !matcher.matches("d"))
    }
}

@Suite("Tool names compare by Unicode scalars")
struct ToolNameScalarTests {
    @Test("an allow rule for a precomposed name does not let a decomposed lookalike through, and hiding one hides only it")
    func canonicallyEquivalentNamesAreDifferentTools() throws {
        let policy = try PolicyLoader.load(
            yaml: "version: 1\ndefault: deny\nhide: [\"K\"]\nrules:\n  - name: cafe\n    tool: \"caf\\u00e9\"\n    action: allow\n",
            fileName: "p.yaml"
        )
        let compiled = CompiledPolicy(policy)
        func action(_ tool: String) -> Action { compiled.decide(ToolCall(tool: tool, arguments: [:])).action }
        #expect(action("caf\u{E9}") == .allow)
        #expect(action("cafe\u{301}") == .deny)
        #expect(compiled.isHidden("K"))
        #expect(!compiled.isHidden("\u{212A}"))
    }

    @Test("a category override names one tool exactly, not its canonically equivalent lookalike")
    func categoryOverridesAreScalarExact() throws {
        let policy = try PolicyLoader.load(yaml: "version: 1\ncategories: {\"caf\\u00e9\": financial}\n", fileName: "p.yaml")
        #expect(policy.category(of: "caf\u{E9}") == .financial)
        #expect(policy.categoryOverride(for: "cafe\u{301}") == nil)
    }
}
