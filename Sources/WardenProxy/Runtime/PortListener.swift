import ServiceLifecycle

/// A server on a port a flag asked for (`--metrics`, `--console`): a port that cannot be bound stops Warden with a
/// message naming the flag.
struct PortListener<Server: Service>: Service {
    let server: Server
    let flag: String
    let port: Int

    func run() async throws {
        do {
            try await server.run()
        } catch {
            throw RuntimeError(code: .cannotListen, message: "\(flag) \(port): cannot listen on 127.0.0.1:\(port): \(error)")
        }
    }
}
