import FuzzSupport
import WardenJSON

/// Feeds arbitrary bytes to the JSON scanner and the parser and checks they agree.
///
/// The proxy validates most messages with `JSONScanner` and interprets a few with `JSONParser`; if the two disagree
/// on any input, a message could be forwarded as valid yet judged as something else. So: the scanner accepts exactly
/// when the parser does, with the same error; the scanner's top-level members are the parsed object's keys; and
/// encoding a parsed value is stable (encoding what it reads back gives the same bytes); and strict parsing, which
/// policy decisions use, accepts a subset of what lenient parsing accepts, reads it the same, and refuses only for a
/// duplicate key or a lone surrogate.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let bytes = input.bytes
    let scanned = Result { () throws(JSONParseError) in try JSONScanner.validate(bytes) }
    let parsed = Result { () throws(JSONParseError) in try JSONParser.parse(bytes) }
    switch (scanned, parsed) {
    case (.success(let kind), .success(let value)):
        guard kind == valueKind(value) else { fuzzFailure("scanner says \(kind), parser built \(value)", input: bytes) }
        checkMembers(of: value, bytes: bytes)
        checkStableEncoding(of: value, bytes: bytes)
        checkStrictParsing(agreesWith: value, bytes: bytes)
    case (.failure(let scanError), .failure(let parseError)):
        guard scanError.code == parseError.code && scanError.offset == parseError.offset else {
            fuzzFailure("scanner error \(scanError) differs from parser error \(parseError)", input: bytes)
        }
        guard (try? JSONParser.parse(bytes, strict: true)) == nil else { fuzzFailure("strict parsing accepts what lenient rejects", input: bytes) }
    case (.success, .failure(let error)):
        fuzzFailure("the scanner accepts what the parser rejects (\(error))", input: bytes)
    case (.failure(let error), .success):
        fuzzFailure("the parser accepts what the scanner rejects (\(error))", input: bytes)
    }
    return 0
}

private func valueKind(_ value: JSONValue) -> JSONScanner.ValueKind {
    switch value {
    case .null: .null
    case .bool: .bool
    case .number: .number
    case .string: .string
    case .array: .array
    case .object: .object
    }
}

/// The scanner's top-level keys, compared as Unicode scalars, are the parsed object's keys in order.
private func checkMembers(of value: JSONValue, bytes: UnsafeRawBufferPointer) {
    guard case .object(let object) = value else { return }
    let members: [JSONScanner.Member]
    do {
        guard let found = try JSONScanner.members(of: bytes) else { fuzzFailure("an object has no members list", input: bytes) }
        members = found
    } catch {
        fuzzFailure("members(of:) rejects what validate accepted: \(error)", input: bytes)
    }
    let scannedKeys = members.map { Array($0.key(in: bytes).unicodeScalars) }
    let parsedKeys = object.keys.map { Array($0.unicodeScalars) }
    // A parser that keeps one member per key sees fewer than the scanner, never different ones.
    guard Set(scannedKeys) == Set(parsedKeys) else {
        fuzzFailure("scanner keys \(scannedKeys) differ from parsed keys \(parsedKeys)", input: bytes)
    }
}

/// Encoding is a fixed point after one round: encode, parse, encode again gives the same bytes.
private func checkStableEncoding(of value: JSONValue, bytes: UnsafeRawBufferPointer) {
    let first = value.encodedBytes
    let reread: JSONValue
    do {
        reread = try JSONParser.parse(first)
    } catch {
        fuzzFailure("the encoder wrote JSON its own parser rejects (\(error)): \(String(decoding: first, as: UTF8.self))", input: bytes)
    }
    guard reread.encodedBytes == first else {
        fuzzFailure("encoding is not stable: \(String(decoding: first, as: UTF8.self))", input: bytes)
    }
}

/// Strict parsing reads what it accepts exactly as lenient parsing does; it refuses only duplicate keys and lone
/// surrogates, and it refuses every document whose top level repeats a key.
private func checkStrictParsing(agreesWith lenient: JSONValue, bytes: UnsafeRawBufferPointer) {
    let topLevelDuplicate = (try? JSONScanner.firstDuplicateKey(in: bytes)) ?? nil
    do {
        let strict = try JSONParser.parse(bytes, strict: true)
        guard strict.encodedBytes == lenient.encodedBytes else { fuzzFailure("strict and lenient parsing read different values", input: bytes) }
        guard topLevelDuplicate == nil else { fuzzFailure("strict parsing accepts a repeated top-level key", input: bytes) }
    } catch {
        guard error.code == .duplicateKey || error.code == .loneSurrogate else {
            fuzzFailure("strict parsing refuses what lenient parsing accepts, for another reason: \(error)", input: bytes)
        }
    }
}
