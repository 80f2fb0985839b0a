import NIOCore
import Testing
import WardenJSON
import WardenMCP
import WardenTesting

struct LineSafetyTests {
    static let message = #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"k":"v","n":[1,2]}}"#
    static let hidden = #"{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"delete_record"}}"#

    static func check(_ bytes: [UInt8]) -> LineSafety.Verdict { LineSafety.check(bytes) }

    static func isRefused(_ verdict: LineSafety.Verdict, mentioning word: String) -> Bool {
        guard case .refused(let reason) = verdict else { return false }
        return reason.contains(word)
    }

    @Test(
        "passes an ordinary message, ASCII or not, untouched",
        arguments: [
            message, "{\"a\":\"caf\u{E9} \u{1F600} \u{2027}\u{202A}\u{84}\u{86}\u{2030}\"}", "", "{}", "[\"\\r\\n\\u2028\"]", "\t{ } \t",
        ]
    )
    func passesOrdinaryMessages(text: String) {
        #expect(Self.check(Array(text.utf8)) == .safe)
    }

    @Test("refuses a raw carriage return anywhere but at the very end")
    func refusesCarriageReturnAtEveryPosition() {
        let bytes = Array(Self.message.utf8)
        for position in 0...bytes.count {
            var withCR = bytes
            withCR.insert(0x0D, at: position)
            let verdict = Self.check(withCR)
            if position == bytes.count {
                #expect(verdict == .safe, "a CRLF line ending is allowed")
            } else {
                #expect(Self.isRefused(verdict, mentioning: "raw carriage return"), "CR at \(position): \(verdict)")
                #expect(Self.isRefused(verdict, mentioning: "byte \(position)"), "CR at \(position): \(verdict)")
            }
        }
    }

    @Test(
        "refuses the CR smuggling of a hidden call, and a raw line feed anywhere",
        arguments: [
            "\r" + hidden + "\r", message + "\r" + hidden, "\r\r", "\r" + hidden, "\r ",
        ]
    )
    func refusesSmuggledLines(text: String) {
        #expect(Self.isRefused(Self.check(Array(text.utf8)), mentioning: "raw carriage return"))
    }

    @Test("refuses a raw line feed, which only an HTTP body can hold")
    func refusesLineFeed() {
        let bytes = Array(Self.message.utf8)
        for position in 0...bytes.count {
            var withLF = bytes
            withLF.insert(0x0A, at: position)
            #expect(Self.isRefused(Self.check(withLF), mentioning: "raw line feed"), "LF at \(position)")
        }
    }

    @Test(
        "rewrites U+0085, U+2028 and U+2029 in strings and keys as escapes of the same value",
        arguments: [
            ("\u{85}", #"\u0085"#), ("\u{2028}", #"\u2028"#), ("\u{2029}", #"\u2029"#),
        ]
    )
    func rewritesSeparators(separator: String, escape: String) throws {
        let texts = [
            "{\"a\":\"x\(separator)y\"}", "{\"a\(separator)\":1}", "{\"a\":\"\(separator)\"}", "[\"\(separator)\(separator)\"]",
            "{\"a\":\"\(separator){\\\"id\\\":77}\"}", "{\"a\":\"\\\\\(separator)\"}", "{\"a\":\"\u{E9}\(separator)\u{1F600}\"}\r",
        ]
        for text in texts {
            let verdict = Self.check(Array(text.utf8))
            guard case .rewritten(let rewritten) = verdict else {
                Issue.record("\(text.debugDescription): \(verdict)")
                continue
            }
            let expected = text.split(separator: separator, omittingEmptySubsequences: false).joined(separator: escape)
            #expect(String(decoding: rewritten, as: UTF8.self) == expected)
            #expect(try JSONParser.parse(rewritten) == JSONParser.parse(text), "the same JSON value")
            #expect(Self.check(rewritten) == .safe)
        }
    }

    @Test("rewrites all three separators in one message, and still refuses a CR that comes after them")
    func combinedCases() {
        let text = "{\"\u{2028}k\":\"a\u{85}b\u{2029}c\u{2028}\",\"n\":1}"
        #expect(Self.check(Array(text.utf8)) == .rewritten(Array(#"{"\u2028k":"a\u0085b\u2029c\u2028","n":1}"#.utf8)))
        #expect(Self.check(Array((text + "\r").utf8)) == .rewritten(Array(#"{"\u2028k":"a\u0085b\u2029c\u2028","n":1}"#.utf8) + [0x0D]))
        #expect(Self.isRefused(Self.check(Array("{\"a\":\"\u{2028}\"}\r ".utf8)), mentioning: "raw carriage return"))
        #expect(Self.isRefused(Self.check(Array("{\"a\":\"\u{2029}\"}\n".utf8)), mentioning: "raw line feed"))
    }

    @Test("refuses a separator right after a lone backslash, where the rewrite would make a new escape")
    func refusesSeparatorAfterBackslash() {
        #expect(Self.isRefused(Self.check(Array("{\"a\":\"\\\u{2028}\"}".utf8)), mentioning: "backslash"))
        #expect(Self.isRefused(Self.check(Array("{\"a\":\"\\\\\\\u{85}\"}".utf8)), mentioning: "backslash"))
    }

    @Test(
        "leaves truncated or invalid UTF-8 near the separators to the JSON validator",
        arguments: [
            [0xC2], [0xE2, 0x80], [0xE2, 0x80, 0xA7], [0xC2, 0x84], [0xE2, 0x81, 0xA8], [0x85], [0xA8, 0xE2],
        ] as [[UInt8]]
    )
    func ignoresLookalikeBytes(tail: [UInt8]) {
        #expect(Self.check(Array(#"{"a":""#.utf8) + tail) == .safe)
    }

    @Test("agrees with a byte-by-byte reference on random messages, at every alignment", arguments: 0..<4)
    func agreesWithReference(seed: UInt64) {
        var random = SplitMix(seed: seed)
        let pieces: [[UInt8]] = [
            Array("abcdefgh".utf8), [0x0D], [0x0A], [0xC2, 0x85], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9], [0xC3, 0xA9],
            [0xE2, 0x80, 0xA7], Array(#"\"#.utf8), Array("0123456789abcdef0123".utf8),
        ]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                let piece = Int.random(in: 0..<10, using: &random) < 7 ? pieces.last! : pieces.randomElement(using: &random)!
                bytes += piece.prefix(Int.random(in: 1...piece.count, using: &random))
            }
            #expect(Self.category(Self.check(bytes)) == Self.reference(bytes), "\(bytes)")
        }
    }

    /// The verdict with a refusal's reason reduced to what it is about, as `reference` names it.
    static func category(_ verdict: LineSafety.Verdict) -> LineSafety.Verdict {
        guard case .refused(let reason) = verdict else { return verdict }
        for (phrase, name) in [("carriage return", "CR"), ("line feed", "LF"), ("backslash", "backslash")] where reason.contains(phrase) {
            return .refused(name)
        }
        return verdict
    }

    /// The rules, one byte at a time with no cleverness.
    static func reference(_ bytes: [UInt8]) -> LineSafety.Verdict {
        var output: [UInt8] = []
        var changed = false
        var index = 0
        while index < bytes.count {
            let rest = bytes[index...]
            if bytes[index] == 0x0D && index != bytes.count - 1 { return .refused("CR") }
            if bytes[index] == 0x0A { return .refused("LF") }
            var escape: String?
            if rest.starts(with: [0xC2, 0x85]) { escape = #"\u0085"# }
            if rest.starts(with: [0xE2, 0x80, 0xA8]) { escape = #"\u2028"# }
            if rest.starts(with: [0xE2, 0x80, 0xA9]) { escape = #"\u2029"# }
            if let escape {
                let backslashes = bytes[..<index].reversed().prefix { $0 == UInt8(ascii: "\\") }.count
                if backslashes % 2 == 1 { return .refused("backslash") }
                output += escape.utf8
                index += bytes[index] == 0xC2 ? 2 : 3
                changed = true
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return changed ? .rewritten(output) : .safe
    }

    @Test("gives the same verdicts to the lines a framer cuts from a stream, whatever the chunk size")
    func verdictsThroughTheFramer() {
        let lines: [[UInt8]] = [
            Array(Self.message.utf8) + [0x0D],
            Array("\r\(Self.hidden)\r".utf8),
            Array("{\"a\":\"\u{2028}\"}".utf8),
            Array("{\"a\":\"\u{85}\",\"b\":\"\u{2029}\"}\r".utf8),
            Array(Self.hidden.utf8),
        ]
        let stream: [UInt8] = lines.flatMap { line -> [UInt8] in line + [0x0A] }
        let expected = lines.map { Self.check($0) }
        #expect(expected.map { if case .refused = $0 { true } else { false } } == [false, true, false, false, false])
        for chunkSize in 1...stream.count {
            var framer = LineFramer(maxMessageSize: 1000)
            var verdicts: [LineSafety.Verdict] = []
            var start = 0
            while start < stream.count {
                let end = min(start + chunkSize, stream.count)
                framer.append(ByteBuffer(bytes: stream[start..<end]))
                while let frame = framer.next() {
                    guard case .message(let line) = frame else { continue }
                    verdicts.append(LineSafety.check(line))
                }
                start = end
            }
            #expect(verdicts == expected, "chunk size \(chunkSize)")
        }
    }
}
