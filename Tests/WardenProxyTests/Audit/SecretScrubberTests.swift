import Testing
import WardenProxy

@Suite("Secret scrubber")
struct SecretScrubberTests {
    @Test(
        "credentials are replaced and the text around them kept",
        arguments: [
            ("Authorization: Bearer abc.def.ghi", "Authorization: Bearer [redacted]"),
            ("curl -H 'authorization: basic dXNlcjpwYXNzd29yZA=='", "curl -H 'authorization: basic [redacted]=='"),
            ("token=s3cr3tvalue&x=1", "token=[redacted]&x=1"),
            ("https://api.example.com/v1?api_key=abc123&page=2", "https://api.example.com/v1?api_key=[redacted]&page=2"),
            ("password: hunter2", "password: [redacted]"),
            (#"DB_PASSWORD="correct horse""#, #"DB_PASSWORD="[redacted] horse""#),
            ("GITHUB_TOKEN=ghp_short", "GITHUB_TOKEN=[redacted]"),
            ("client-secret: x", "client-secret: [redacted]"),
            ("use sk-proj-AbCdEfGhIjKlMnOpQrStUv123 now", "use [redacted] now"),
            ("sk_live_51HxYzAbCdEfGhIjKlMn", "[redacted]"),
            ("ghp_0123456789abcdefghijABCDEFGHIJ012345", "[redacted]"),
            ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "[redacted]"),
            ("xoxb-1234567890-0987654321-AbCdEfGh", "[redacted]"),
            ("AKIAIOSFODNN7EXAMPLE is the key", "[redacted] is the key"),
            ("glpat-abcdefghij0123456789", "[redacted]"),
            ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig0sig0sig0", "[redacted]"),
            ("d41d8cd98f00b204e9800998ecf8427e", "[redacted]"),
            ("secret is 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.", "secret is [redacted]."),
            ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "[redacted]"),
            ("session Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo end", "session [redacted] end"),
        ] as [(String, String)]
    )
    func hidesCredentials(input: String, expected: String) {
        #expect(SecretScrubber.scrub(input) == expected)
    }

    @Test(
        "ordinary text, identifiers, paths and numbers are left alone",
        arguments: [
            "export the claims dataset to s3://approved/q3",
            "supercalifragilisticexpialidocious-and-more-words",
            "the bearer of bad news",
            "a basic idea",
            "the token is valid; the password was changed",
            "sk-learn",
            "ASIAN-FOOD-RECIPES",
            "/home/user/projects/warden/sources/audit/trail.swift",
            "12345678901234567890123456789012345678",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
            "ticket JIRA-12345: fix login for user 42",
            "https://example.com/docs/getting-started/installation-guide",
            "[redacted]",
            "",
        ]
    )
    func leavesOrdinaryText(input: String) {
        #expect(SecretScrubber.scrub(input) == input)
    }

    @Test("a value follows its key across spaces and quotes, never past a separator")
    func valueScope() {
        #expect(SecretScrubber.scrub("token: , next") == "token: , next")
        #expect(SecretScrubber.scrub("password=a&user=bob") == "password=[redacted]&user=bob")
        #expect(SecretScrubber.scrub("password:\n  next line") == "password:\n  next line")
    }
}
