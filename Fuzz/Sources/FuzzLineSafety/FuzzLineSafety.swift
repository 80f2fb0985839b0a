import FuzzSupport
import WardenJSON
import WardenMCP

/// Checks that whatever `LineSafety` lets through holds nothing any reader splits a line on.
///
/// Readers disagree about line breaks: Python's universal newlines split on a raw CR, `str.splitlines` and some
/// JavaScript readers on U+0085, U+2028 and U+2029, and a reader that decodes with replacement sees those even
/// after a stray invalid byte. So the bytes forwarded (as they were, or rewritten) must hold no LF, no CR but a last
/// one, and none of those three encodings at any offset; and a rewrite must not change what the bytes mean as JSON:
/// valid stays valid with the same value, invalid stays invalid.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let bytes = input.bytes
    switch LineSafety.check(bytes) {
    case .safe:
        checkNoBreaks(Array(bytes), input: bytes)
    case .rewritten(let output):
        checkNoBreaks(output, input: bytes)
        checkSameJSON(output, input: bytes)
    case .refused:
        break
    }
    return 0
}

private func checkNoBreaks(_ line: [UInt8], input: UnsafeRawBufferPointer) {
    for index in line.indices {
        let byte = line[index]
        if byte == 0x0A || (byte == 0x0D && index != line.count - 1) {
            fuzzFailure("a raw \(byte == 0x0A ? "LF" : "CR") at byte \(index) is forwarded", input: input)
        }
        if byte == 0xC2, index + 1 < line.count, line[index + 1] == 0x85 {
            fuzzFailure("a raw U+0085 at byte \(index) is forwarded", input: input)
        }
        if byte == 0xE2, index + 2 < line.count, line[index + 1] == 0x80, line[index + 2] == 0xA8 || line[index + 2] == 0xA9 {
            fuzzFailure("a raw U+2028 or U+2029 at byte \(index) is forwarded", input: input)
        }
    }
}

private func checkSameJSON(_ output: [UInt8], input: UnsafeRawBufferPointer) {
    let before = try? JSONParser.parse(input)
    let after = try? JSONParser.parse(output)
    guard before?.encodedBytes == after?.encodedBytes else {
        fuzzFailure("the rewrite changed the JSON: \(String(decoding: output, as: UTF8.self).debugDescription)", input: input)
    }
}
