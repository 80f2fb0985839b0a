#if canImport(Glibc)
public import Glibc
#elseif canImport(Musl)
public import Musl
#elseif canImport(Darwin)
public import Darwin
#endif

/// An upstream MCP server started as a child process, with its stdin and stdout on pipes.
///
/// The child's stderr is Warden's own stderr, so its logs pass through without a copy. It runs in a process
/// group of its own: signals Warden forwards reach it (and anything it started) exactly once, and a terminal's
/// Ctrl-C is delivered through Warden rather than twice.
public struct ChildProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t
    /// Warden's end of the pipe the child reads as stdin.
    public let stdinWriter: CInt
    /// Warden's end of the pipe the child writes as stdout.
    public let stdoutReader: CInt
    /// Warden's end of the child's stderr pipe, when it was asked to capture it (tests do); otherwise the
    /// child writes to Warden's own stderr.
    public let stderrReader: CInt?

    /// Starts `arguments[0]`, looked up in `PATH` when it has no slash, with the rest as its arguments.
    ///
    /// - Parameter environment: extra variables set for the child on top of Warden's own environment.
    public static func spawn(
        _ arguments: [String],
        environment: [String: String] = [:],
        capturingStandardError: Bool = false
    ) throws(ChildProcessError) -> ChildProcess {
        guard let executable = arguments.first, !executable.isEmpty else {
            throw ChildProcessError(message: "no upstream command given; put it after `--`, e.g. `warden run --policy p.yaml -- my-server`")
        }
        var toChild: [CInt] = [-1, -1]
        var fromChild: [CInt] = [-1, -1]
        guard makePipe(&toChild) else { throw ChildProcessError(errno: errno, doing: "create a pipe") }
        guard makePipe(&fromChild) else {
            let code = errno
            close(toChild[0])
            close(toChild[1])
            throw ChildProcessError(errno: code, doing: "create a pipe")
        }

        var errorPipe: [CInt] = [-1, -1]
        if capturingStandardError, !makePipe(&errorPipe) {
            let code = errno
            for descriptor in toChild + fromChild { close(descriptor) }
            throw ChildProcessError(errno: code, doing: "create a pipe")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        if capturingStandardError { posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Signals Warden ignores (SIGPIPE) or handles must be back to their defaults in the child,
        // and the child must not inherit a blocked mask.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        var environmentLines: [String] = []
        var index = 0
        while let entry = environ[index] {
            let line = String(cString: entry)
            let name = line.split(separator: "=", maxSplits: 1).first.map(String.init) ?? line
            if environment[name] == nil { environmentLines.append(line) }
            index += 1
        }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) { environmentLines.append("\(name)=\(value)") }

        var pid: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(environmentLines) { envp in
                posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        close(toChild[0])
        close(fromChild[1])
        if capturingStandardError { close(errorPipe[1]) }
        guard result == 0 else {
            close(toChild[1])
            close(fromChild[0])
            if capturingStandardError { close(errorPipe[0]) }
            throw ChildProcessError(errno: result, doing: "start `\(executable)`")
        }
        return ChildProcess(
            pid: pid,
            stdinWriter: toChild[1],
            stdoutReader: fromChild[0],
            stderrReader: capturingStandardError ? errorPipe[0] : nil
        )
    }

    /// Sends `signal` to the child's whole process group.
    public func signal(_ signal: CInt) {
        if kill(-pid, signal) != 0 { kill(pid, signal) }
    }

    /// Blocks the calling thread until the child exits, and returns its status as a shell reports it.
    ///
    /// A normal exit gives its code; death by a signal gives 128 + the signal's number.
    public func waitForExit() -> Int32 {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid { break }
            if result == -1 && errno == EINTR { continue }
            return 1
        }
        let low = status & 0x7f
        if low == 0 { return (status >> 8) & 0xff }
        return 128 + low
    }
}

/// Why an upstream process could not be started.
public struct ChildProcessError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    init(errno code: CInt, doing action: String) {
        self.message = "cannot \(action): \(String(cString: strerror(code)))"
    }

    public var description: String { message }
}

/// Makes a pipe whose ends close on exec, so only the descriptors dup'ed onto 0, 1 and 2 reach a child.
private func makePipe(_ ends: inout [CInt]) -> Bool {
    guard pipe(&ends) == 0 else { return false }
    for descriptor in ends { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    return true
}

/// Calls `body` with a NULL-terminated C array of the strings, valid only during the call.
private func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
