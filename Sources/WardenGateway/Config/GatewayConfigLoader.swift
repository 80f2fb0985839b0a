public import Foundation
import WardenPolicy
import Yams

/// Reads `gateway.yaml`. Secrets may be written as `${NAME}` and come from the environment.
public enum GatewayConfigLoader {
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(GatewayConfigError) -> GatewayConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let position = SourcePosition(fileName: path, line: 1, column: 1)
            let message = "cannot read the gateway config: \(error.localizedDescription)"
            throw GatewayConfigError(errors: [PolicyError(code: .unreadableFile, position: position, message: message)])
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try load(yaml: text, fileName: path, baseDirectory: base, environment: environment)
    }

    public static func load(
        yaml: String,
        fileName: String,
        baseDirectory: String,
        environment: [String: String]
    ) throws(GatewayConfigError) -> GatewayConfig {
        let composed: Yams.Node?
        do {
            composed = try YAMLSource.compose(yaml, fileName: fileName)
        } catch {
            throw GatewayConfigError(errors: [error])
        }
        guard let root = composed else {
            let position = SourcePosition(fileName: fileName, line: 1, column: 1)
            throw GatewayConfigError(errors: [PolicyError(code: .missingKey, position: position, message: "the config is empty; it needs at least `servers:`")])
        }
        var reader = GatewayConfigReader(fileName: fileName, baseDirectory: baseDirectory, environment: environment)
        let config = reader.config(root)
        guard reader.errors.isEmpty else { throw GatewayConfigError(errors: reader.errors) }
        return config
    }
}
