import Testing
import WardenJSON
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
            (#"DB_PASSWORD="correct horse""#, #"DB_PASSWORD="[redacted]""#),
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

    @Test(
        "credentials inside JSON text, URLs and sentences are hidden",
        arguments: [
            (#"{"password": "hunter2"}"#, #"{"password": "[redacted]"}"#),
            (#"body={"user":"ann","Password":"correct horse","n":1}"#, #"body={"user":"ann","Password":"[redacted]","n":1}"#),
            (#"{'api_key': 'abc\'def', 'x': 1}"#, #"{'api_key': '[redacted]', 'x': 1}"#),
            ("postgres://admin:pw@db.internal:5432/claims", "postgres://admin:[redacted]@db.internal:5432/claims"),
            ("clone https://x-access-token:v1.abc@github.com/o/r.git now", "clone https://x-access-token:[redacted]@github.com/o/r.git now"),
            ("redis://:s3cret@cache:6379", "redis://:[redacted]@cache:6379"),
            ("api key = abc123def", "api key = [redacted]"),
            ("the access token: zz9-plural", "the access token: [redacted]"),
            ("Token : abc123", "Token : [redacted]"),
            ("X-Api-Key: 12345", "X-Api-Key: [redacted]"),
            ("clientSecret=hush", "clientSecret=[redacted]"),
            ("Cookie: session=abc; theme=dark\nAccept: text/plain", "Cookie: [redacted]\nAccept: text/plain"),
        ] as [(String, String)]
    )
    func hidesEmbeddedCredentials(input: String, expected: String) {
        #expect(SecretScrubber.scrub(input) == expected)
    }

    @Test(
        "URLs without a password and words that only contain a credential's name are left alone",
        arguments: [
            "ssh://git@github.com/o/r.git",
            "https://example.com:8443/a?b=c",
            "author: Ann",
            "sort key: name",
            "max_tokens: 100",
            "see the tokenizer: it splits words",
        ]
    )
    func leavesLookalikes(input: String) {
        #expect(SecretScrubber.scrub(input) == input)
    }

    @Test("object keys named like credentials hide their values at any depth, whatever their case or spelling")
    func hidesCredentialKeys() throws {
        let value = try JSONParser.parse(
            #"""
            {"Password": "p1", "nested": {"API_KEY": "p2", "headers": {"x-api-key": "p3", "Authorization": "Basic p4", "Cookie": "p5"}},
             "list": [{"secret": "p6"}, {"token": 77}], "private_key": {"pem": "p8"}, "client_secret": "p9", "passwd": "p10",
             "clientSecret": "p11", "accessToken": "p12", "set-cookie": ["p13"], "author": "Ann", "tokens_used": 5, "max_tokens": 100,
             "keyboard": "qwerty", "token": null}
            """#
        )
        let scrubbed = SecretScrubber.scrub(value)
        let text = scrubbed.encodedString
        for secret in (1...13).map({ "p\($0)" }) where secret != "p7" {
            #expect(!text.contains("\"\(secret)\""), "\(secret) is still there")
        }
        #expect(!text.contains("77"))
        #expect(scrubbed["nested"]?["headers"]?["x-api-key"] == "[redacted]")
        #expect(scrubbed["author"] == "Ann")
        #expect(scrubbed["tokens_used"] == 5)
        #expect(scrubbed["max_tokens"] == 100)
        #expect(scrubbed["keyboard"] == "qwerty")
        #expect(scrubbed["token"] == .null)
    }

    @Test("a string holding JSON is scrubbed as that JSON, and kept as sent when nothing in it is secret")
    func scrubsJSONInStrings() throws {
        let value: JSONValue = [
            "body": #"{"password": "hunter2", "user": "ann"}"#,
            "deeper": #"{"inner": "{\"apiKey\": \"k-42\"}"}"#,
            "plain": #"{"user": "ann"}"#,
            "broken": #"{"password": "hunter2""#,
        ]
        let scrubbed = SecretScrubber.scrub(value)
        #expect(scrubbed["body"] == #"{"password":"[redacted]","user":"ann"}"#)
        #expect(scrubbed["deeper"]?.stringValue?.contains("k-42") == false)
        #expect(scrubbed["plain"] == #"{"user": "ann"}"#)
        #expect(scrubbed["broken"]?.stringValue?.contains("hunter2") == false)
    }

    @Test("a value follows its key across spaces and quotes, never past a separator")
    func valueScope() {
        #expect(SecretScrubber.scrub("token: , next") == "token: , next")
        #expect(SecretScrubber.scrub("password=a&user=bob") == "password=[redacted]&user=bob")
        #expect(SecretScrubber.scrub("password:\n  next line") == "password:\n  next line")
    }
}
