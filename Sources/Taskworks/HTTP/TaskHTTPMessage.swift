import Foundation

/// A request for ``TaskHTTPAPI``, in plain values any web framework can fill in.
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

    /// Makes a request.
    public init(method: String, path: String, query: [URLQueryItem] = [], body: [UInt8] = [], caller: Caller?)
    {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.caller = caller
    }

    func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.compactMap(\.value).flatMap {
            $0.split(separator: ",").map(String.init)
        }
    }

    func queryValue(_ name: String) -> String? {
        query.last { $0.name == name }?.value
    }
}

/// A response from ``TaskHTTPAPI``: a status, headers, and a JSON body or an artifact's bytes.
public struct TaskHTTPResponse: Sendable {
    /// The body.
    public enum Body: Sendable {
        /// No body.
        case empty
        /// JSON bytes (`Content-Type: application/json`).
        case json([UInt8])
        /// An artifact, streamed in chunks.
        case stream(ArtifactChunks)
    }

    /// The HTTP status code.
    public var status: Int
    /// Response headers.
    public var headers: [String: String]
    /// The body.
    public var body: Body

    /// The JSON body as text, for tests and logs (`nil` for other bodies).
    public var jsonText: String? {
        if case .json(let bytes) = body { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }
}
