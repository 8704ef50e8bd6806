/// An HTTP error a route answers with: a status, a machine-readable code and a message, sent as
/// `{"error": {"code": …, "message": …}}`. Route handlers may throw it; a thrown
/// ``TaskworksError`` maps to its status (404, 400, 403, 409…) the same way.
public struct TaskHTTPError: Error, Sendable, Hashable {
    /// The HTTP status.
    public let status: Int
    /// A stable code such as `unsupportedMediaType`.
    public let code: String
    /// What went wrong and what to do.
    public let message: String
    /// For a 405, the methods the path serves (sent as `Allow`).
    public var allowedMethods: [String]?

    /// Makes an error.
    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// 401: the route needs a caller.
    public static let unauthenticated = TaskHTTPError(
        status: 401, code: "unauthenticated", message: "sign in first: this route needs a caller")

    /// 405 with the methods the path serves.
    package static func methodNotAllowed(_ method: String, allowed: [String]) -> TaskHTTPError {
        var error = TaskHTTPError(
            status: 405, code: "methodNotAllowed",
            message: "\(method.prefix(10)) is not allowed here; use \(allowed.joined(separator: " or "))")
        error.allowedMethods = allowed
        return error
    }

    /// 413 for a body over `limit` bytes; `count` is its size when it was read whole.
    package static func payloadTooLarge(count: Int?, limit: Int) -> TaskHTTPError {
        let size = count.map { "has \($0) bytes" } ?? "is larger"
        return TaskHTTPError(
            status: 413, code: "payloadTooLarge",
            message: "the request body \(size); at most \(limit) are accepted")
    }

    /// 400 for a malformed body.
    package static func badBody(_ message: String) -> TaskHTTPError {
        TaskHTTPError(status: 400, code: "invalidInput", message: message)
    }
}
