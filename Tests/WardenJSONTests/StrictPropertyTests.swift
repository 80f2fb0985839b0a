import Testing
import WardenJSON
import WardenTesting

struct StrictPropertyTests {
    /// Changes that strict parsing cares about: surrogate escapes cut or inserted, keys repeated.
    static func strictMutation(_ bytes: [UInt8], using random: inout SplitMix) -> [UInt8] {
        var bytes = bytes
        // Half the time, wrap the document so that it stays valid JSON but gains what strict parsing refuses.
        if Bool.random(using: &random) {
            let wrappers = [(#"{"a":"#, #","a":0}"#), (#"{"a":"#, #","\u0061":0}"#), ("[", #","\uDE00"]"#), ("[", #","\uD83Dx"]"#), ("[", ",0]")]
            let (before, after) = wrappers.randomElement(using: &random)!
            return Array(before.utf8) + bytes + Array(after.utf8)
        }
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        let insertions = [#"\uD83D"#, #"\uDE00"#, #"\ud83d\ude00"#, #""a":1,"#, #""\u0061":2,"#, #","a":3"#, #"{"a":0,"a":0}"#]
        bytes.insert(contentsOf: Array(insertions.randomElement(using: &random)!.utf8), at: position)
        return bytes
    }

    @Test("strict and lenient parsing and the scanner agree on every input, differing only by the strict refusals", arguments: 0..<6)
    func strictAgreesWithLenient(seed: UInt64) {
        var generator = RandomJSON(seed: 7000 + seed)
        var counts = (both: 0, neither: 0, strictOnly: 0)
        for _ in 0..<1500 {
            var text = generator.text(for: generator.value(depth: 4))
            for _ in 0..<Int.random(in: 0...2, using: &generator.random) {
                text = Bool.random(using: &generator.random) ? generator.mutate(text) : Self.strictMutation(text, using: &generator.random)
            }
            let shown = String(decoding: text, as: UTF8.self)
            let lenient = Result { () throws(JSONParseError) in try JSONParser.parse(text) }
            let strict = Result { () throws(JSONParseError) in try JSONParser.parse(text, strict: true) }
            let scanned = Result { () throws(JSONParseError) in try JSONScanner.validate(text) }
            switch (lenient, scanned) {
            case (.success, .success): break
            case (.failure(let parseError), .failure(let scanError)): #expect(parseError == scanError, "\(shown)")
            default: Issue.record("scanner and parser disagree on \(shown)")
            }
            switch (lenient, strict) {
            case (.success(let value), .success(let strictValue)):
                #expect(value == strictValue, "\(shown)")
                #expect(value.encodedBytes == strictValue.encodedBytes, "\(shown)")
                counts.both += 1
            case (.success, .failure(let error)):
                #expect(error.code == .duplicateKey || error.code == .loneSurrogate, "\(shown): \(error)")
                counts.strictOnly += 1
            case (.failure(let lenientError), .failure(let strictError)):
                // Strict may stop earlier, at a duplicate or a lone surrogate; otherwise it fails the same way.
                if strictError.code != .duplicateKey && strictError.code != .loneSurrogate {
                    #expect(strictError == lenientError, "\(shown)")
                } else {
                    #expect(strictError.offset <= lenientError.offset, "\(shown)")
                }
                counts.neither += 1
            case (.failure(let error), .success):
                Issue.record("strict accepted what lenient refused (\(error)): \(shown)")
            }
        }
        #expect(counts.both > 100 && counts.neither > 100 && counts.strictOnly > 100, "\(counts)")
    }

    @Test("strict parsing accepts exactly the documents without a repeated key or lone surrogate, checked the slow way", arguments: 0..<4)
    func strictRefusesExactlyWhatItShould(seed: UInt64) throws {
        var random = SplitMix(seed: 9000 + seed)
        let keys = [#""a""#, #""\u0061""#, #""b""#, #""A""#, #""\u212Aey""#, #""Key""#]
        let strings = [#""x""#, #""\uD83D\uDE00""#, #""\uD83D""#, #""\uDE00x""#, #""\uDBFF\uDFFF""#, #""\uD800\uD800""#]
        for _ in 0..<1000 {
            let count = Int.random(in: 0...3, using: &random)
            let chosen = (0..<count).map { _ in (keys.randomElement(using: &random)!, strings.randomElement(using: &random)!) }
            let text = "{" + chosen.map { "\($0.0):[\($0.1)]" }.joined(separator: ",") + "}"
            let decodedKeys = try chosen.map { try JSONParser.parse($0.0).stringValue!.unicodeScalars.map(\.value) }
            let hasDuplicate = Set(decodedKeys).count < decodedKeys.count
            let lonely = [#""\uD83D""#, #""\uDE00x""#, #""\uD800\uD800""#]
            let hasLoneSurrogate = chosen.contains { lonely.contains($0.1) }
            let strict = Result { () throws(JSONParseError) in try JSONParser.parse(text, strict: true) }
            switch strict {
            case .success: #expect(!hasDuplicate && !hasLoneSurrogate, "\(text)")
            case .failure(let error):
                #expect(hasDuplicate || hasLoneSurrogate, "\(text): \(error)")
                #expect(error.code == .duplicateKey ? hasDuplicate : hasLoneSurrogate, "\(text): \(error)")
            }
        }
    }
}
