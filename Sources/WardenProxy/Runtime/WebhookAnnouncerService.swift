import ServiceLifecycle

/// Keeps the approval webhook announcing while Warden runs; on shutdown the last announcements (a call resolved as
/// the session ended) get `drainTimeout` to go out before the process does.
struct WebhookAnnouncerService: Service {
    let announcer: WebhookAnnouncer
    let drainTimeout: Duration

    func run() async throws {
        try? await gracefulShutdown()
        await announcer.shutdown(timeout: drainTimeout)
    }
}
