import Foundation
import HTTPTypes
import Hummingbird
import Taskworks

/// Hands every request under the API prefix to Taskworks' framework-neutral ``TaskHTTPAPI`` and
/// turns its answer into a Hummingbird response; everything else goes on to the router.
struct TaskworksMiddleware<Context: RequestContext>: RouterMiddleware {
    let api: TaskHTTPAPI
    let prefix: String
    /// Request bodies larger than this are refused (task payloads are small).
    let maximumBodySize = 1 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let path = request.uri.path
        guard path == prefix || path.hasPrefix(prefix + "/") else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: maximumBodySize)
        let query = request.uri.queryParameters.map {
            URLQueryItem(name: String($0.key), value: String($0.value))
        }
        let answer = await api.handle(
            TaskHTTPRequest(
                method: request.method.rawValue, path: path, query: query, body: Array(buffer: body),
                caller: DemoAuthentication.caller(of: request)))
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let status = HTTPResponse.Status(code: answer.status)
        switch answer.body {
        case .empty:
            return Response(status: status, headers: headers)
        case .json(let bytes):
            return Response(
                status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .stream(let chunks):
            let buffers = chunks.map { ByteBuffer(bytes: $0) }
            return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: buffers))
        }
    }
}

/// **A demo scheme, not authentication**: the caller is whoever the `X-Demo-User` header (or the
/// `as` query item) names — `alice`, `bob` or `admin`. A real host puts its own sign-in here and
/// maps the signed-in account to a ``Caller``.
enum DemoAuthentication {
    static let header = HTTPField.Name("X-Demo-User")

    static func caller(of request: Request) -> Caller? {
        let fromHeader = header.flatMap { request.headers[$0] }
        let name = fromHeader ?? request.uri.queryParameters["as"].map(String.init)
        switch name {
        case "admin"?: return .admin("admin")
        case "alice"?: return .user("alice")
        case "bob"?: return .user("bob")
        default: return nil
        }
    }
}
