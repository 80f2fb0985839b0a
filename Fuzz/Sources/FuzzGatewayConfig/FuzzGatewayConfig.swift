import FuzzSupport
import WardenGateway

/// Loads arbitrary text as a gateway config: it either loads or lists its problems, and never crashes or hangs.
///
/// Relative paths resolve under a directory that does not exist, and no environment variable is set, so a config
/// cannot make the loader read a real file by accident.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let text = String(decoding: input.bytes, as: UTF8.self)
    do {
        _ = try GatewayConfigLoader.load(yaml: text, fileName: "fuzz.yaml", baseDirectory: "/nonexistent-fuzz-base", environment: [:])
    } catch {
        guard !error.problems.isEmpty else { fuzzFailure("the loader failed without saying why", input: input.bytes) }
    }
    return 0
}
