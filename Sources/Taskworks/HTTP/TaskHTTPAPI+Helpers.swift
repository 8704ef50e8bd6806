import Foundation

/// Authentication, method checks and route errors shared by the handlers.
extension TaskHTTPAPI {
    func authenticated(_ request: TaskHTTPRequest) throws -> Caller {
        guard let caller = request.caller else { throw unauthenticated }
        return caller
    }

    var unauthenticated: Failure {
        Failure(status: 401, code: "unauthenticated", message: "sign in first: this route needs a caller")
    }

    func requireMethod(_ expected: String, _ method: String, also: [String] = []) throws {
        guard method == expected else { throw methodNotAllowed(method, allowed: [expected] + also) }
    }

    func methodNotAllowed(_ method: String, allowed: [String]) -> Failure {
        Failure(
            status: 405, code: "methodNotAllowed",
            message: "\(method.prefix(10)) is not allowed here; use \(allowed.joined(separator: " or "))")
    }

    func notFoundRoute(_ request: TaskHTTPRequest) -> Failure {
        Failure(
            status: 404, code: "routeNotFound",
            message: "no route for \(request.method.prefix(10)) \(request.path.prefix(200))")
    }

    static func taskID(_ text: String) throws -> TaskID {
        try TaskID(parsing: text)
    }

    /// `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987).
    static func contentDisposition(_ fileName: String) -> String {
        let fallback = String(
            fileName.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar != ";"
                    ? Character(scalar) : "_"
            })
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}
