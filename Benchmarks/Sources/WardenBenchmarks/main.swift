import Foundation
import WardenStore

// Usage: WardenBenchmarks [--warden PATH] [--calls N] [--decisions-only | --gateway-only]
// Prints figures; gates on nothing. Build Warden in release mode first (scripts/bench does both).
var arguments = CommandLine.arguments.dropFirst()
var wardenPath = "../.build/release/warden"
var calls = 20_000
var decisionsOnly = false
var gatewayOnly = false
while let argument = arguments.popFirst() {
    switch argument {
    case "--warden": wardenPath = arguments.popFirst() ?? wardenPath
    case "--calls": calls = Int(arguments.popFirst() ?? "") ?? calls
    case "--decisions-only": decisionsOnly = true
    case "--gateway-only": gatewayOnly = true
    default:
        print("unknown argument \(argument); usage: WardenBenchmarks [--warden PATH] [--calls N]")
        exit(2)
    }
}

if gatewayOnly {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-gateway-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try GatewayBenchmark.run(warden: wardenPath, directory: directory, calls: min(calls, 5_000))
    try? FileManager.default.removeItem(at: directory)
    exit(0)
}

print("Policy decision (per call, batches of 100)")
for rules in [50, 5_000] {
    let stats = DecisionBenchmark.run(rules: rules)
    print("  \(rules) rules: median \(formatNanoseconds(stats.median)), p99 \(formatNanoseconds(stats.p99))")
}

if decisionsOnly { exit(0) }

print("\nLimit check per call: reserve + forwarded + commit (\(5_000) calls)")
let memoryStats = try await LimitBenchmark.run(store: MemoryLimitStore(), calls: 5_000)
print("  memory store: median \(formatNanoseconds(memoryStats.median)), p99 \(formatNanoseconds(memoryStats.p99))")
let limitDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-limits-\(getpid())")
try FileManager.default.createDirectory(at: limitDirectory, withIntermediateDirectories: true)
let sqliteStore = try SQLiteLimitStore(path: limitDirectory.appendingPathComponent("limits.db").path)
let sqliteStats = try await LimitBenchmark.run(store: sqliteStore, calls: 5_000)
print("  SQLite store: median \(formatNanoseconds(sqliteStats.median)), p99 \(formatNanoseconds(sqliteStats.p99))")
try? FileManager.default.removeItem(at: limitDirectory)

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let policyPath = directory.appendingPathComponent("allow.yaml").path
try """
version: 1
default: allow
hide: [delete_record]
rules:
  - name: exports go to the approved bucket only
    tool: start_export_job
    when:
      args.destination_uri: {not_starts_with: "s3://approved/"}
    action: deny
""".write(toFile: policyPath, atomically: true, encoding: .utf8)

print("\ntools/call round trip to the demo server (\(calls) calls after warm-up, one at a time)")
let direct = try ProxyBenchmark.measure(command: [wardenPath, "demo-server"], calls: calls)
print("  direct:            median \(formatNanoseconds(direct.median)), p99 \(formatNanoseconds(direct.p99))")
let storePath = directory.appendingPathComponent("warden.db").path
// The same policy with the echo tool rate-limited (a limit it never reaches), so each call also records its limit.
let limitedPolicyPath = directory.appendingPathComponent("limited.yaml").path
try (try String(contentsOfFile: policyPath, encoding: .utf8) + """

      - name: echo quota
        tool: echo
        rate_limit: {max: 100000000, window: 1h}

    """).write(toFile: limitedPolicyPath, atomically: true, encoding: .utf8)
let runs: [(String, String, [String])] = [
    ("no audit trail", policyPath, ["--no-audit"]),
    ("audit trail on (SQLite)", policyPath, []),
    ("audit trail on, call rate-limited (SQLite)", limitedPolicyPath, []),
]
for (label, policy, extra) in runs {
    let proxied = try ProxyBenchmark.measure(
        command: [wardenPath, "run", "--policy", policy, "--log-level", "error", "--store", "sqlite:\(storePath)"] + extra
            + ["--", wardenPath, "demo-server"],
        calls: calls
    )
    print("  through warden run, \(label): median \(formatNanoseconds(proxied.median)), p99 \(formatNanoseconds(proxied.p99))")
    print("    added by Warden: median \(formatNanoseconds(proxied.median - direct.median)), p99 \(formatNanoseconds(proxied.p99 - direct.p99))")
}

let gatewayDirectory = directory.appendingPathComponent("gateway")
try FileManager.default.createDirectory(at: gatewayDirectory, withIntermediateDirectories: true)
try GatewayBenchmark.run(warden: wardenPath, directory: gatewayDirectory, calls: min(calls, 5_000))
