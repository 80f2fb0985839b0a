import FuzzSupport
import WardenPolicy

/// Loads arbitrary text as a policy file: it either loads or fails with positioned errors, and never crashes or hangs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let text = String(decoding: input.bytes, as: UTF8.self)
    do {
        _ = try PolicyLoader.load(yaml: text, fileName: "fuzz.yaml")
    } catch {
        guard !error.errors.isEmpty else { fuzzFailure("the loader failed without saying why", input: input.bytes) }
    }
    return 0
}
