import Logging
import NIOCore
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenSchema
import WardenStore

/// Warden's own `tools/list`, sent when a call names a tool no listing has shown yet, page by page.
struct OwnListing {
    let key: CallKey
    var pages = 0
    var seenCursors: Set<String> = []
    /// The revision the listing is asked in: the first waiting call's, else the session's.
    let revision: ProtocolRevision?
}

/// What the tool definitions say about one call, before any limit is reserved.
enum DefinitionVerdict {
    case proceed(ListedTool?)
    /// The tool is not known yet: the call waits for Warden's own listing.
    case wait
    case deny(rule: String, reason: String)
    /// No listing shows the tool: answered as the unknown tool it is, exactly like a hidden one, so an agent cannot
    /// tell a hidden tool from one that does not exist.
    case unknown(reason: String)
}

extension SessionInterceptor {
    /// At most this many pages are read by Warden's own listing.
    static let ownListingPageLimit = 100
    /// At most this many calls of one session wait for Warden's own listing; more are refused.
    static let waitingLimit = 1024

    /// The name pins are kept under.
    var pinServer: String { identity.serverName ?? "server" }

    /// Whether calls wait for Warden's own listing: the server must stay open for them after the client is done.
    public var hasCallsAwaitingDefinitions: Bool { ownListing != nil }

    /// Whether this policy needs to know the tool's definition to judge a call.
    func needsDefinitions(_ policy: Policy) -> Bool {
        policy.definitions.validateArguments || policy.definitions.poisoning != .off || (pins != nil && policy.definitions.pinMode != .off)
    }

    /// Adds one page of a `tools/list` result to what the session knows; `completes` when this page ends a listing
    /// that began at the first page, so a tool it did not show is not the server's.
    func absorbListing(_ tools: [JSONValue], completes: Bool, policy: Policy) -> [ListedTool] {
        let page = ToolCatalog.shared.tools(of: tools, strictFormats: policy.definitions.strictFormats)
        for tool in page {
            let key = ScalarKey(tool.name)
            listedTools.insert(key)
            categories[key] = tool.assessment.category
            listed[key] = tool
            if case .failure(let error)? = tool.schema, reportedSchemaFailures.insert(key).inserted {
                logger.warning(
                    "tool schema cannot be compiled; its calls are judged by the rules alone",
                    metadata: ["tool.name": "\(tool.name)", "problem": "\(error)"]
                )
                auditWarning(tool: tool.name, rule: "validate_arguments", reason: "inputSchema cannot be compiled (\(error)); calls are judged by the rules alone")
            }
            if policy.definitions.poisoning == .flag, let finding = tool.findings.first, reportedFindings.insert(key).inserted {
                logger.warning("tool definition looks poisoned", metadata: ["tool.name": "\(tool.name)", "findings": "\(tool.findings)"])
                auditWarning(tool: tool.name, rule: "poisoning", reason: "definition carries instructions aimed at the model (\(finding)); listed because poisoning: flag")
            }
        }
        if let pins, policy.definitions.pinMode != .off {
            let found = pins.observe(server: pinServer, tools: page, holdNew: policy.definitions.holdNewTools, session: identity, at: now())
            for (name, standing) in found {
                standings[name] = standing
                if policy.definitions.pinMode == .warn, case .held = standing, reportedPins.insert(name).inserted {
                    auditWarning(tool: name.string, rule: "pins", reason: "definition differs from its pin; usable because pins: warn")
                }
            }
        }
        if completes { listingComplete = true }
        return page
    }

    /// Why a listed tool is kept out of `tools/list`; nil when it is shown.
    func hidingReason(_ tool: ListedTool, policy: Policy) -> String? {
        if policy.definitions.poisoning == .hide, let finding = tool.findings.first {
            return "its definition carries instructions aimed at the model (\(finding))"
        }
        if policy.definitions.pinMode == .enforce, case .held(let verdict)? = standings[ScalarKey(tool.name)] {
            return verdict == .new ? "a new tool, held until a person accepts it" : "its definition changed and awaits review"
        }
        return nil
    }

    /// The checks that need the tool's definition: a tool no listing shows, a poisoned tool, a held pin. Starts
    /// Warden's own listing when the session has none that could show the tool.
    func checkDefinitions(of tool: String, policy: Policy) -> DefinitionVerdict {
        guard needsDefinitions(policy) else { return .proceed(nil) }
        let key = ScalarKey(tool)
        guard let known = listed[key] else {
            if listingComplete {
                return .unknown(reason: "`\(tool)` is not in the server's tools/list, so Warden cannot check its definition or arguments")
            }
            return .wait
        }
        if policy.definitions.poisoning == .hide, let finding = known.findings.first {
            return .deny(
                rule: "poisoning",
                reason: "the definition of `\(tool)` carries instructions aimed at the model (\(finding)); the tool is hidden until its server fixes it"
            )
        }
        guard let pins, policy.definitions.pinMode == .enforce, var standing = standings[key] else { return .proceed(known) }
        switch standing {
        case .held(let verdict):
            standing = pins.recheck(server: pinServer, tool: tool, fingerprint: known.fingerprint, held: verdict)
        case .unknown:
            standing = pins.observe(server: pinServer, tools: [known], holdNew: policy.definitions.holdNewTools, session: identity, at: now())[key] ?? standing
        case .trusted:
            break
        }
        standings[key] = standing
        switch standing {
        case .trusted:
            return .proceed(known)
        case .held(let verdict):
            let what = verdict == .new ? "is new and held until a person accepts it" : "changed since it was accepted and awaits review"
            return .deny(
                rule: "pins",
                reason: "the definition of `\(tool)` \(what) (warden pins diff \(pinServer) \(tool)); its calls are refused until then"
            )
        case .unknown(let problem):
            if policy.failMode == .open { return .proceed(known) }
            return .deny(
                rule: "pins",
                reason: "the pin store is unavailable (\(problem)), so Warden cannot tell whether `\(tool)` changed; refused rather than let through unchecked"
            )
        }
    }

    /// The schema check, after the rules allowed the call and before any limit is reserved; nil when it passes.
    func schemaViolation(of tool: ListedTool?, arguments: JSONValue, decision: Decision, policy: Policy) -> String? {
        guard policy.definitions.validateArguments, let tool, case .success(let schema)? = tool.schema else { return nil }
        let optsOut = decision.matchedRules.contains { index in
            index < policy.rules.count && policy.rules[index].validateArguments == false
        }
        if optsOut { return nil }
        return schema.validate(arguments).first?.description
    }

    /// Holds a call until Warden's own listing answers, sending that listing if it is not on its way.
    func waitForListing(_ buffer: ByteBuffer, envelope: MessageEnvelope, id: JSONRPCID, revision: ProtocolRevision?, into deliveries: inout [Delivery]) {
        let waiting = calls.clientWaiting.count { key in
            if case .awaitingDefinitions = calls[key]?.state { return true }
            return false
        }
        guard waiting < Self.waitingLimit else {
            reply(
                error: JSONRPCErrorCode.internalError,
                "too many calls wait for Warden to read the server's tools/list; send this one again when they are answered",
                id: id,
                into: &deliveries
            )
            return
        }
        guard calls.open(clientID: id, state: { _ in .awaitingDefinitions(WaitingCall(buffer: buffer, envelope: envelope)) }) != nil else {
            return
        }
        guard ownListing == nil else { return }
        let sentAt = NIODeadline.now().uptimeNanoseconds
        let (key, upstreamID) = calls.openOwn(ForwardedCall(kind: .ownToolList(sentAt: sentAt)))
        ownListing = OwnListing(key: key, revision: revision ?? client?.revision)
        deliveries.append(.toServer(.rewritten(ownListRequest(id: upstreamID, cursor: nil, revision: revision ?? client?.revision))))
    }

    private func ownListRequest(id: JSONRPCID, cursor: String?, revision: ProtocolRevision?) -> [UInt8] {
        var params = JSONObject()
        if let cursor { params["cursor"] = .string(cursor) }
        if let revision, revision.isStateless {
            params["_meta"] = [
                MetaKey.protocolVersion: .string(revision.raw),
                MetaKey.clientInfo: ["name": "warden", "version": "1"],
                MetaKey.clientCapabilities: [:],
            ]
        }
        return JSONRPCMessage.request(id: id, method: "tools/list", params: params.isEmpty ? nil : .object(params))
    }

    /// The answer to Warden's own listing: another page is asked for, or the waiting calls are judged again.
    func receiveOwnListing(_ buffer: ByteBuffer, envelope: MessageEnvelope, into deliveries: inout [Delivery]) {
        guard var listing = ownListing else { return }
        ownListing = nil
        guard envelope.kind == .response, let range = envelope.result,
            let result = buffer.withUnsafeReadableBytes({ bytes in
                try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[range]), maxDepth: MessageInspector.maxDepth, strict: true)
            }), let tools = result["tools"]?.arrayValue
        else {
            resumeWaiting(failure: "the server did not answer Warden's tools/list with a list of tools", into: &deliveries)
            return
        }
        let cursor = result["nextCursor"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        _ = absorbListing(tools, completes: cursor == nil, policy: policy.current.policy)
        listing.pages += 1
        guard let cursor else {
            resumeWaiting(failure: nil, into: &deliveries)
            return
        }
        guard listing.pages < Self.ownListingPageLimit, listing.seenCursors.insert(cursor).inserted else {
            resumeWaiting(failure: "the server's tools/list pages do not end", into: &deliveries)
            return
        }
        let sentAt = NIODeadline.now().uptimeNanoseconds
        let (key, upstreamID) = calls.openOwn(ForwardedCall(kind: .ownToolList(sentAt: sentAt)))
        ownListing = OwnListing(key: key, pages: listing.pages, seenCursors: listing.seenCursors, revision: listing.revision)
        deliveries.append(.toServer(.rewritten(ownListRequest(id: upstreamID, cursor: cursor, revision: listing.revision))))
    }

    /// Judges the waiting calls again now that the listing is in; when it failed, they are refused by name, never
    /// let through unchecked.
    func resumeWaiting(failure: String?, into deliveries: inout [Delivery]) {
        if let failure { logger.warning("own tools/list failed", metadata: ["problem": "\(failure)"]) }
        for key in calls.clientWaiting {
            guard let entry = calls[key], case .awaitingDefinitions(let waiting) = entry.state else { continue }
            calls.finish(key)
            guard let failure else {
                receiveToolCall(waiting.buffer, envelope: waiting.envelope, id: entry.clientID, into: &deliveries)
                continue
            }
            let tool = parseMember(waiting.envelope.params, of: waiting.buffer)?["name"]?.stringValue ?? "?"
            let reason = "Warden could not read the server's tools/list (\(failure)), so it cannot check `\(tool)`; refused rather than let through unchecked"
            record(time: now(), tool: tool, outcome: .denied, rule: "definitions", reason: reason, clientName: client?.name)
            let denial = Denial(rule: "definitions", reason: reason)
            deliveries.append(.toClient(.rewritten(JSONRPCMessage.result(id: entry.clientID, result: denial.toolResult(revision: client?.revision)))))
        }
    }

    /// Warden's own listing took longer than the call timeout: it is given up and the waiting calls refused.
    func expireOwnListing(_ key: CallKey, after timeout: Duration, into deliveries: inout [Delivery]) {
        guard ownListing?.key == key else { return }
        calls.abandon(key, ForwardedCall(kind: .other))
        ownListing = nil
        resumeWaiting(failure: "it did not answer within \(LimitPlan.format(timeout))", into: &deliveries)
    }

    /// The upstream is gone: calls waiting for Warden's own listing get an error now.
    func failOwnListing(_ reason: String, into deliveries: inout [Delivery]) {
        ownListing = nil
        for key in calls.clientWaiting {
            guard let entry = calls[key], case .awaitingDefinitions = entry.state else { continue }
            calls.finish(key)
            reply(error: JSONRPCErrorCode.internalError, reason, id: entry.clientID, into: &deliveries)
        }
    }

    /// The server said its tools changed: what it listed before is no longer known, so the next call waits for a
    /// fresh listing (and its pins are checked again) rather than being judged on old definitions.
    func forgetListing() {
        listed.removeAll()
        standings.removeAll()
        listingComplete = false
    }

    /// An audit record that stopped nothing but that a person should see.
    private func auditWarning(tool: String, rule: String, reason: String) {
        guard let audit else { return }
        let entry = AuditRecord(
            time: now(), agentID: identity.agentID, sessionID: identity.sessionID, server: identity.serverName, tool: tool,
            decision: .definitionWarning, rule: rule, reason: reason
        )
        do {
            _ = try audit.append(entry)
        } catch {
            logger.error("audit record not written", metadata: ["error": "\(error)", "tool.name": "\(tool)"])
        }
    }
}
