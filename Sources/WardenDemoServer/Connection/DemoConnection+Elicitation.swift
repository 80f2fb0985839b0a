import WardenJSON

extension DemoConnection {
    /// The key of the one input request `ask_user` makes in a 2026-07-28 `InputRequiredResult`.
    static let answerKey = "answer"
    static let askUserState = "ask_user/v1"

    /// Asks the client's user a question: with a server-to-client `elicitation/create` request in 2025 sessions,
    /// or with an `InputRequiredResult` the client answers by retrying the call in 2026-07-28.
    mutating func askUser(_ question: String, request: IncomingRequest, into output: inout Output) -> Answer {
        if request.isStateless {
            if let response = request.params["inputResponses"]?[Self.answerKey] {
                return Self.answer(from: response)
            }
            guard request.meta?[Revision.clientCapabilitiesKey]?["elicitation"] != nil else {
                return Self.toolResult("The client cannot ask its user: it did not declare the elicitation capability", isError: true)
            }
            let elicitation: JSONValue = [
                "method": "elicitation/create",
                "params": ["mode": "form", "message": .string(question), "requestedSchema": Self.answerSchema],
            ]
            return .result([
                "resultType": "input_required",
                "inputRequests": .object([Self.answerKey: elicitation]),
                "requestState": .string(Self.askUserState),
            ])
        }
        guard clientSupportsElicitation else {
            return Self.toolResult("The client cannot ask its user: it did not declare the elicitation capability", isError: true)
        }
        let serverRequestID = "demo-elicit-\(nextServerRequestNumber)"
        nextServerRequestNumber += 1
        pendingElicitations[serverRequestID] = request.id
        var params: JSONObject = ["message": .string(question), "requestedSchema": Self.answerSchema]
        if let revision = negotiatedRevision, revision >= "2025-11-25" { params["mode"] = "form" }
        output.messages.append(Message.request(id: .string(serverRequestID), method: "elicitation/create", params: params))
        return .deferred
    }

    /// Completes the `ask_user` call that was waiting for this response; other responses are ignored.
    mutating func handleResponse(id: JSONValue, message: JSONObject, into output: inout Output) {
        guard let key = id.stringValue, let callID = pendingElicitations.removeValue(forKey: key) else { return }
        let answer: Answer
        if let error = message["error"] {
            answer = Self.toolResult("The client could not ask its user: \(error["message"]?.stringValue ?? "unknown error")", isError: true)
        } else {
            answer = Self.answer(from: message["result"] ?? .null)
        }
        if case .result(let result) = answer {
            output.messages.append(Message.response(id: callID, result: result))
        }
    }

    private static let answerSchema: JSONValue = [
        "type": "object",
        "properties": ["answer": ["type": "string", "description": "Your answer"]],
        "required": ["answer"],
    ]

    /// Turns an `ElicitResult` into what `ask_user` returns.
    private static func answer(from response: JSONValue) -> Answer {
        switch response["action"]?.stringValue {
        case "accept":
            guard let text = response["content"]?["answer"]?.stringValue else {
                return toolResult("The user accepted but gave no answer", isError: true)
            }
            return toolResult("The user answered: \(text)")
        case "decline":
            return toolResult("The user declined to answer")
        default:
            return toolResult("The user dismissed the question")
        }
    }
}
