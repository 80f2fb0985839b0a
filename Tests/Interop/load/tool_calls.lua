-- A wrk script that sends MCP `tools/call` requests to a Warden gateway and counts their answers.
--
--   wrk -t T -c T -d LIMIT -s tool_calls.lua URL -- CALLS KEY TOOL (stateless | SESSION_ID...)
--
-- Each wrk thread stops once CALLS of its calls are answered, and says so on stdout: "finished thread=I"; wrk
-- itself runs until its -d limit, so the caller sends it SIGINT once every thread has finished. A thread with more
-- than one connection may have sent a few calls more than it counts (in flight when it stopped). With
-- "stateless" the calls are 2026-07-28 requests with no session; otherwise thread i uses the i-th session id
-- (2025-11-25, opened beforehand by the caller). Every call has an id of its own, "<thread>-<n>". `done` prints one
-- line the caller parses: "sent=S answered=A results=R errors=E other=O", where results are answers that are a tool result
-- and not an error, errors are JSON-RPC errors or tool errors, and other is any non-200 status or unreadable body.

local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("index", counter)
    table.insert(threads, thread)
end

function init(args)
    quota = tonumber(args[1])
    key = args[2]
    tool = args[3]
    local mode = args[4 + ((index - 1) % (#args - 3))]
    sent, answered, results, errors, other = 0, 0, 0, 0, 0
    headers = {
        ["Content-Type"] = "application/json",
        ["Accept"] = "application/json, text/event-stream",
        ["Authorization"] = "Bearer " .. key,
    }
    if mode == "stateless" then
        stateless = true
        headers["MCP-Protocol-Version"] = "2026-07-28"
        headers["Mcp-Method"] = "tools/call"
        headers["Mcp-Name"] = tool
    else
        stateless = false
        headers["MCP-Protocol-Version"] = "2025-11-25"
        headers["Mcp-Session-Id"] = mode
    end
end

function request()
    sent = sent + 1
    local meta = ""
    if stateless then
        meta = ',"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",'
            .. '"io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"},'
            .. '"io.modelcontextprotocol/clientCapabilities":{}}'
    end
    local body = string.format(
        '{"jsonrpc":"2.0","id":"%d-%d","method":"tools/call","params":{"name":"%s","arguments":{"text":"call %d"}%s}}',
        index, sent, tool, sent, meta)
    return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
    answered = answered + 1
    if status ~= 200 then
        other = other + 1
    elseif body:find('"result"', 1, true) and not body:find('"isError":true', 1, true) then
        results = results + 1
    elseif body:find('"error"', 1, true) or body:find('"isError":true', 1, true) then
        errors = errors + 1
    else
        other = other + 1
    end
    if answered == quota then
        -- wrk itself runs until its -d limit; the caller interrupts it (SIGINT) once every thread has said this.
        io.write(string.format("finished thread=%d\n", index))
        io.flush()
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    local totals = { sent = 0, answered = 0, results = 0, errors = 0, other = 0 }
    for _, thread in ipairs(threads) do
        for name, _ in pairs(totals) do
            totals[name] = totals[name] + thread:get(name)
        end
    end
    io.write(string.format("sent=%d answered=%d results=%d errors=%d other=%d\n",
        totals.sent, totals.answered, totals.results, totals.errors, totals.other))
    io.write(string.format("latency_p50_us=%d latency_p99_us=%d\n",
        latency:percentile(50), latency:percentile(99)))
end
