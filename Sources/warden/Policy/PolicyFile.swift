import Foundation
import WardenPolicy

/// Reads and loads a policy file, turning every failure into a message a person can act on.
enum PolicyFile {
    struct Failure: Error, CustomStringConvertible {
        var lines: [String]
        var description: String { lines.joined(separator: "\n") }
    }

    static func load(_ path: String) throws(Failure) -> Policy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Failure(lines: ["\(path): cannot read the policy file: \(Self.reason(error))"])
        }
        do {
            return try PolicyLoader.load(yaml: text, fileName: path)
        } catch {
            throw Failure(lines: error.errors.map(\.description))
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}
