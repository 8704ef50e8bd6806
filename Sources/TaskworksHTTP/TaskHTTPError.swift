/// An error only HTTP has (a route that does not exist, a method a path does not serve, a body
/// too large or of the wrong media type), answered as `{"error": {"code": …, "message": …}}`.
/// Internal: everything else, route handlers included, throws ``TaskworksError``, which the API
/// maps to a status by its code (404, 400, 401, 403, 409, 501, 503…).
struct TaskHTTPError: Error, Sendable, Hashable {
    /// The HTTP status.
    let status: Int
    /// A stable code such as `unsupportedMediaType`.
    let code: String
    /// What went wrong and what to do.
    let message: String
    /// For a 405, the methods the path serves (sent as `Allow`).
    var allowedMethods: [String]?

    /// Makes an error.
    init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// 405 with the methods the path serves.
    static func methodNotAllowed(_ method: String, allowed: [String]) -> TaskHTTPError {
        var error = TaskHTTPError(
            status: 405, code: "methodNotAllowed",
            message: "\(method.prefix(10)) is not allowed here; use \(allowed.joined(separator: " or "))")
        error.allowedMethods = allowed
        return error
    }

    /// 413 for a body over `limit` bytes; `count` is its size when it was read whole.
    static func payloadTooLarge(count: Int?, limit: Int) -> TaskHTTPError {
        let size = count.map { "has \($0) bytes" } ?? "is larger"
        return TaskHTTPError(
            status: 413, code: "payloadTooLarge",
            message: "the request body \(size); at most \(limit) are accepted")
    }

}
