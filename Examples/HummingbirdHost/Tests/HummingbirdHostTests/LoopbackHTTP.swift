import Foundation
import TaskworksTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 client over a loopback TCP socket (one request per connection), so the
/// test talks to the server directly whatever proxy settings the environment carries.
struct LoopbackHTTP {
    struct Response {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int

    func send(
        _ method: String, _ target: String, user: String? = nil, body: String = "",
        contentType: String? = "application/json"
    ) throws -> Response {
        let socket = try connectedSocket()
        defer { close(socket) }
        var request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let user { request += "X-Demo-User: \(user)\r\n" }
        if let contentType, method == "POST" || method == "PUT" {
            request += "Content-Type: \(contentType)\r\n"
        }
        request += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        try write(request, to: socket)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return try parse(received)
    }

    /// Opens `GET /tasks/api/events` as `user` and reads until the stream's first event (a snapshot)
    /// arrived; returns the open socket (the caller closes it). Reads time out after 10 s.
    func openEventStream(user: String) throws -> Int32 {
        let socket = try connectedSocket()
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        try write(
            "GET /tasks/api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Demo-User: \(user)\r\nAccept: text/event-stream\r\n\r\n",
            to: socket)
        var received = ""
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while !received.contains("event: snapshot") {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                close(socket)
                throw Failure(description: "the event stream ended before its first event: \(received)")
            }
            received += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return socket
    }

    private func connectedSocket() throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw Failure(description: "connect to 127.0.0.1:\(port) failed")
        }
        return socket
    }

    private func write(_ text: String, to socket: Int32) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw Failure(description: "send failed") }
            sent += count
        }
    }

    private func parse(_ bytes: [UInt8]) throws -> Response {
        let separator = Array("\r\n\r\n".utf8)
        guard
            let end = (0...(max(0, bytes.count - 4))).first(where: {
                Array(bytes[$0..<min($0 + 4, bytes.count)]) == separator
            })
        else { throw Failure(description: "no HTTP header in \(bytes.count) bytes") }
        let head = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first,
            let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
        else {
            throw Failure(description: "bad status line")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
        }
        var body = Array(bytes[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = try unchunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    private func unchunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard
                let lineEnd = (index..<(bytes.count - 1)).first(where: {
                    bytes[$0] == 13 && bytes[$0 + 1] == 10
                }),
                let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self), radix: 16)
            else { throw Failure(description: "bad chunk") }
            if size == 0 { break }
            output += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
            index = lineEnd + 2 + size + 2
        }
        return output
    }
}

/// An example host started as a child process next to the test binary, on a free loopback port
/// with a fresh data directory. Shared by the Hummingbird and Vapor examples' tests (the Vapor
/// package links this file).
struct ExampleServer {
    let process: Process
    let http: LoopbackHTTP
    let scratch: URL

    /// Starts `executable` with `--port 0`, a data directory (`reusing` a stopped server's) and
    /// `--users users` plus `arguments`, and waits (with a deadline) until it prints the port it
    /// listens on.
    static func start(
        _ executable: String, users: Int, arguments: [String] = [], reusing scratch: URL? = nil
    ) async throws -> ExampleServer {
        let scratch =
            scratch
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "\(executable)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let output = scratch.appendingPathComponent("stdout")
        try Data().write(to: output)
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        let process = Process()
        process.executableURL = directory.appendingPathComponent(executable)
        process.arguments =
            [
                "--port", "0", "--data-dir", scratch.appendingPathComponent("data").path, "--users",
                String(users),
            ] + arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        let port = try await poll("\(executable) to listen") { () -> Int? in
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            guard
                let range = text.range(
                    of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression)
            else { return nil }
            return Int(text[range].split(separator: ":").last ?? "")
        }
        return ExampleServer(process: process, http: LoopbackHTTP(port: port), scratch: scratch)
    }

    /// Stops the server if it still runs and removes its data.
    func cleanUp() {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Polls `check` every 20 ms until it gives a value, for at most a minute.
    static func poll<T>(_ what: String, _ check: () throws -> T?) async throws -> T {
        var found: T?
        try await eventually(what, pollingEvery: .milliseconds(20)) {
            found = try check()
            return found != nil
        }
        guard let found else { throw LoopbackHTTP.Failure(description: "no value for \(what)") }
        return found
    }
}
