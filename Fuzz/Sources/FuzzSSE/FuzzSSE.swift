import FuzzSupport
import WardenMCP

/// Feeds an event stream to `SSEParser` whole and in arbitrary chunks, and round-trips an event through the encoder.
///
/// The first input byte picks the line limit, the second seeds the chunk sizes. Invariants: chunking never changes
/// the events or whether the line limit is hit; and an event built from the input, encoded by `SSEEncoder` and parsed
/// back, is the same event (data line breaks normalised to `\n`, as the format defines).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let limit = Int(input.choice()) + 1
    let seed = input.choice()
    let stream = input.payload
    checkChunking(stream, limit: limit, seed: seed, input: input.bytes)
    checkRoundTrip(stream, input: input.bytes)
    return 0
}

private func checkChunking(_ stream: UnsafeRawBufferPointer, limit: Int, seed: UInt8, input: UnsafeRawBufferPointer) {
    var whole = SSEParser(maxLineLength: limit)
    let wholeEvents = try? whole.feed(stream)
    var chunked = SSEParser(maxLineLength: limit)
    var chunkedEvents: [ServerSentEvent]? = []
    var offset = 0
    for chunk in ChunkSizes(total: stream.count, seed: seed, largest: 2 * limit + 3) {
        do {
            chunkedEvents! += try chunked.feed(stream[offset..<offset + chunk])
        } catch {
            chunkedEvents = nil
            break
        }
        offset += chunk
    }
    guard wholeEvents == chunkedEvents else {
        fuzzFailure("whole stream gives \(String(describing: wholeEvents)), chunks give \(String(describing: chunkedEvents))", input: input)
    }
    if wholeEvents != nil && whole.lastEventID != chunked.lastEventID {
        fuzzFailure("last event id \(String(describing: whole.lastEventID)) vs \(String(describing: chunked.lastEventID))", input: input)
    }
}

/// Splits the payload into id, event and data at its first two NUL-free separators and round-trips that event.
private func checkRoundTrip(_ stream: UnsafeRawBufferPointer, input: UnsafeRawBufferPointer) {
    let parts = stream.split(separator: 0xFF, maxSplits: 2, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    let id = parts.count > 1 ? parts[0] : nil
    let name = parts.count > 2 ? parts[1] : nil
    let event = ServerSentEvent(id: id, event: name, data: parts.last ?? "")
    var parser = SSEParser()
    let events: [ServerSentEvent]
    do {
        events = try parser.feed(event.encoded())
    } catch {
        fuzzFailure("an encoded event overflows the parser: \(error)", input: input)
    }
    let withoutBreaks = { (text: String) in String(text.unicodeScalars.filter { $0 != "\n" && $0 != "\r" }.map(Character.init)) }
    let expectedID = id.map(withoutBreaks).flatMap { $0.unicodeScalars.contains("\0") ? nil : $0 }
    let expectedData = event.data.replacingCRLF()
    let expected = ServerSentEvent(id: expectedID, event: name.map(withoutBreaks), data: expectedData)
    guard events == [expected] else {
        fuzzFailure("encoded \(event) but parsed \(events)", input: input)
    }
}

extension String {
    /// The text with CRLF and lone CR turned into LF, as an event stream reads line breaks.
    fileprivate func replacingCRLF() -> String {
        var output = String.UnicodeScalarView()
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = scalar == "\r"
            output.append(scalar == "\r" ? "\n" : scalar)
        }
        return String(output)
    }
}
