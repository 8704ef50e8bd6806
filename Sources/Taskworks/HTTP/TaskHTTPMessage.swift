import Foundation

/// A request for `TaskHTTPAPI` (TaskworksHTTP), in plain values any web framework can fill in.
public struct TaskHTTPRequest: Sendable {
    /// `GET`, `POST`, `DELETE`…
    public var method: String
    /// The path without the query string, e.g. `/api/tasks/3f2504e0-…`.
    public var path: String
    /// The decoded query items.
    public var query: [URLQueryItem]
    /// The request body.
    public var body: [UInt8]
    /// Who is asking, as the host authenticated them; `nil` for an anonymous request.
    public var caller: Caller?
    /// Request headers the API reads (`Content-Type`); names match in any case.
    public var headers: [String: String]

    /// Makes a request. The path is as sent (percent-encoded); the API decodes each segment once.
    public init(
        method: String, path: String, query: [URLQueryItem] = [], headers: [String: String] = [:],
        body: [UInt8] = [], caller: Caller?
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.caller = caller
    }

    /// The value of header `name`, matched in any case.
    public func header(_ name: String) -> String? {
        if let value = headers[name] { return value }
        return headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    package func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.compactMap(\.value).flatMap {
            $0.split(separator: ",").map(String.init)
        }
    }

    package func queryValue(_ name: String) -> String? {
        query.last { $0.name == name }?.value
    }
}

/// A response from `TaskHTTPAPI` (TaskworksHTTP) or `TaskConsole` (TaskworksHTTP): a status, headers, and a JSON body, a
/// stream (an artifact's bytes, server-sent events) or a console file.
public struct TaskHTTPResponse: Sendable {
    /// The body.
    public enum Body: Sendable {
        /// No body.
        case empty
        /// JSON bytes (`Content-Type: application/json`).
        case json([UInt8])
        /// Other bytes in one piece (the console's pages, styles and script), whose
        /// `Content-Type` header says what they are.
        case bytes([UInt8])
        /// Bytes streamed in chunks: an artifact, or server-sent events (`GET /events`).
        case stream(ArtifactChunks)
    }

    /// The HTTP status code.
    public var status: Int
    /// Response headers.
    public var headers: [String: String]
    /// The body.
    public var body: Body

    /// Makes a response.
    public init(status: Int, headers: [String: String] = [:], body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response, written by Taskworks' JSON writer.
    public static func json(_ status: Int, _ value: JSONValue) -> TaskHTTPResponse {
        var bytes: [UInt8] = []
        JSONWriter.appendValue(value, to: &bytes)
        return TaskHTTPResponse(status: status, headers: TaskHTTPResponse.jsonHeaders, body: .json(bytes))
    }

    /// A task as the API shows it (the `Task` schema of the OpenAPI document).
    public static func task(_ task: TaskRecord, status: Int = 200) -> TaskHTTPResponse {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        TaskJSON.append(task, to: &bytes)
        return TaskHTTPResponse(status: status, headers: TaskHTTPResponse.jsonHeaders, body: .json(bytes))
    }

    package static let jsonHeaders = ["Content-Type": "application/json; charset=utf-8"]

    /// The same status and headers with no body, for `HEAD`: `Content-Length` says how long the
    /// body would have been when that is known.
    package func withoutBody() -> TaskHTTPResponse {
        var response = TaskHTTPResponse(status: status, headers: headers, body: .empty)
        switch body {
        case .json(let bytes), .bytes(let bytes): response.headers["Content-Length"] = String(bytes.count)
        case .empty, .stream: break
        }
        return response
    }

    /// The JSON body as text, for tests and logs (`nil` for other bodies).
    public var jsonText: String? {
        if case .json(let bytes) = body { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }
}

extension TaskHTTPResponse {
    /// The whole body as bytes: the JSON, or every chunk of a streamed artifact read to its end
    /// (empty for no body). For tests, and for hosts that send bodies in one piece.
    ///
    /// ```swift
    /// let response = await api.handle(request)
    /// let bytes = try await response.collectBytes()
    /// ```
    ///
    /// - Throws: what reading the artifact throws.
    public func collectBytes() async throws -> [UInt8] {
        switch body {
        case .empty: return []
        case .json(let bytes), .bytes(let bytes): return bytes
        case .stream(let chunks):
            var bytes: [UInt8] = []
            for try await chunk in chunks { bytes += chunk }
            return bytes
        }
    }

    /// The body parsed as JSON (read with Taskworks' own parser).
    ///
    /// ```swift
    /// let page = try await api.handle(request).collectJSON()
    /// if case .integer(let total)? = page["total"] { print(total) }
    /// ```
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the body is not JSON (an artifact, or
    ///   no body); what reading the artifact throws.
    public func collectJSON() async throws -> JSONValue {
        let bytes = try await collectBytes()
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TaskworksError.invalidInput("the response body is not UTF-8 text, so not JSON")
        }
        return try JSONValue(jsonText: text)
    }
}
