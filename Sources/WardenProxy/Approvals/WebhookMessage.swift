import Logging
import WardenJSON
import WardenStore

/// One announcement in the webhook's queue: an approval's or a pin's, delivered in the order they happened.
enum WebhookMessage: Sendable {
    case approval(ApprovalEvent)
    case pin(PinEvent)

    /// The body of the POST.
    var jsonValue: JSONValue {
        switch self {
        case .approval(let event): event.jsonValue
        case .pin(let event): event.jsonValue
        }
    }

    /// What a log line about this announcement names: the event, and the approval or the tool it is about.
    var metadata: Logger.Metadata {
        switch self {
        case .approval(let event):
            ["approval.id": "\(event.approval.id)", "webhook.event": "\(event.kind)"]
        case .pin(let event):
            ["server.name": "\(event.pin.server)", "tool.name": "\(event.pin.tool)", "webhook.event": "\(event.kind)"]
        }
    }
}
