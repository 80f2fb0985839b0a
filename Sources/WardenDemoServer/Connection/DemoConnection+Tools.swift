import WardenJSON

extension DemoConnection {
    /// Answers `tools/list`, one page at a time when `pageSize` is set; the cursor is the offset of the next tool.
    func listTools(_ request: IncomingRequest) -> Answer {
        let all = DemoToolCatalog.definitions
        var start = 0
        if let cursor = request.params["cursor"], !cursor.isNull {
            guard let text = cursor.stringValue, text.hasPrefix("offset-"), let offset = Int(text.dropFirst(7)),
                offset >= 0, offset < all.count
            else {
                return .failure(RPCError(code: RPCError.invalidParams, message: "Invalid cursor"))
            }
            start = offset
        }
        let end = options.pageSize.map { min(all.count, start + max(1, $0)) } ?? all.count
        var result: JSONObject = ["tools": .array(Array(all[start..<end]))]
        if end < all.count { result["nextCursor"] = .string("offset-\(end)") }
        if request.isStateless {
            result["ttlMs"] = 0
            result["cacheScope"] = "public"
        }
        return .result(result)
    }

    /// Runs `tools/call`. Bad arguments are a tool error (`isError`), so a model can read and fix them; an unknown
    /// tool is a JSON-RPC error, as MCP servers answer it.
    mutating func callTool(_ request: IncomingRequest, into output: inout Output) -> Answer {
        guard let name = request.params["name"]?.stringValue else {
            return .failure(RPCError(code: RPCError.invalidParams, message: "tools/call needs a tool name"))
        }
        if options.logCalls { output.logLines.append("demo-server: called \(name)") }
        guard DemoToolCatalog.contains(name) else {
            return .failure(RPCError(code: RPCError.invalidParams, message: "Unknown tool: \(name)"))
        }
        let arguments = request.params["arguments"]?.objectValue ?? JSONObject()
        func text(_ key: String) -> String? { arguments[key]?.stringValue }

        switch name {
        case "read_record":
            guard let id = text("id") else { return Self.invalidArgument("id", "a string") }
            guard let value = records.value(for: id) else { return Self.toolResult("No record with id \(id)", isError: true) }
            return Self.toolResult(value)
        case "write_record":
            guard let id = text("id") else { return Self.invalidArgument("id", "a string") }
            guard let value = text("value") else { return Self.invalidArgument("value", "a string") }
            records.set(value, for: id)
            return Self.toolResult("Wrote record \(id)")
        case "delete_record":
            guard let id = text("id") else { return Self.invalidArgument("id", "a string") }
            let existed = records.remove(id)
            return existed ? Self.toolResult("Deleted record \(id)") : Self.toolResult("No record with id \(id)", isError: true)
        case "start_export_job":
            guard let destination = text("destination_uri") else { return Self.invalidArgument("destination_uri", "a string") }
            guard let dataset = text("dataset") else { return Self.invalidArgument("dataset", "a string") }
            defer { nextJobNumber += 1 }
            return Self.toolResult("Started export job job-\(nextJobNumber): \(dataset) to \(destination)")
        case "create_charge":
            guard let amount = arguments["amount"], case .number(let number) = amount else {
                return Self.invalidArgument("amount", "a number")
            }
            guard let currency = text("currency") else { return Self.invalidArgument("currency", "a string") }
            defer { nextChargeNumber += 1 }
            return Self.toolResult("Charged \(number.literal) \(currency) (charge ch-\(nextChargeNumber))")
        case "echo":
            guard let value = text("text") else { return Self.invalidArgument("text", "a string") }
            return Self.toolResult(value)
        case "ask_user":
            guard let question = text("question") else { return Self.invalidArgument("question", "a string") }
            return askUser(question, request: request, into: &output)
        case "slow_task":
            guard let steps = arguments["steps"]?.numberValue, steps == steps.rounded(), (1...1000).contains(steps) else {
                return Self.invalidArgument("steps", "an integer from 1 to 1000")
            }
            return slowTask(steps: Int(steps), request: request, into: &output)
        default:
            return .failure(RPCError(code: RPCError.invalidParams, message: "Unknown tool: \(name)"))
        }
    }

    /// Reports progress once per step when the client asked for it with a `progressToken`, then finishes.
    private func slowTask(steps: Int, request: IncomingRequest, into output: inout Output) -> Answer {
        if let token = request.meta?["progressToken"] {
            for step in 1...steps {
                output.messages.append(
                    Message.notification(
                        method: "notifications/progress",
                        params: [
                            "progressToken": token,
                            "progress": .number(JSONNumber(step)),
                            "total": .number(JSONNumber(steps)),
                            "message": .string("Step \(step) of \(steps)"),
                        ]
                    )
                )
            }
        }
        return Self.toolResult("Finished \(steps) steps")
    }

    static func toolResult(_ text: String, isError: Bool = false) -> Answer {
        .result(["content": [["type": "text", "text": .string(text)]], "isError": .bool(isError)])
    }

    private static func invalidArgument(_ name: String, _ expected: String) -> Answer {
        toolResult("Invalid arguments: `\(name)` must be \(expected)", isError: true)
    }
}
