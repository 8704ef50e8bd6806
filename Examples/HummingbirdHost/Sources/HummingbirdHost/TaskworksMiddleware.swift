import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import Taskworks
import TaskworksDemoHostKit

/// Hands every request under the API prefix to Taskworks' framework-neutral ``TaskHTTPAPI``, and
/// the console's pages to ``TaskConsole``, and turns their answers into Hummingbird responses;
/// everything else goes on to the router.
struct TaskworksMiddleware<Context: RequestContext>: RouterMiddleware {
    let api: TaskHTTPAPI
    let console: TaskConsole
    let prefix: String
    let authentication: DemoAuthentication
    /// Request bodies larger than this are refused (task payloads are small).
    let maximumBodySize = 1 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let path = request.uri.path
        let isAPI = path == prefix || path.hasPrefix(prefix + "/")
        if !isAPI {
            let page = console.handle(
                TaskHTTPRequest(method: request.method.rawValue, path: path, caller: nil))
            guard let page else { return try await next(request, context) }
            return TaskworksMiddleware.response(page, api: api)
        }
        var request = request
        let body = try await request.collectBody(upTo: maximumBodySize)
        let query = request.uri.queryParameters.map {
            URLQueryItem(name: String($0.key), value: String($0.value))
        }
        var headers: [String: String] = [:]
        for name in ["Content-Type", "Accept", "Last-Event-ID"] {
            if let field = HTTPField.Name(name), let value = request.headers[field] { headers[name] = value }
        }
        let answer = await api.handle(
            TaskHTTPRequest(
                method: request.method.rawValue, path: path, query: query, headers: headers,
                body: Array(buffer: body), caller: authentication.caller(of: request)))
        return TaskworksMiddleware.response(answer, api: api)
    }

    static func response(_ answer: TaskHTTPResponse, api: TaskHTTPAPI) -> Response {
        var responseHeaders = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { responseHeaders[field] = value }
        }
        let status = HTTPResponse.Status(code: answer.status)
        switch answer.body {
        case .empty:
            return Response(status: status, headers: responseHeaders)
        case .json(let bytes), .bytes(let bytes):
            return Response(
                status: status, headers: responseHeaders,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .stream(let chunks):
            guard answer.headers["Content-Type"]?.hasPrefix("text/event-stream") == true else {
                let buffers = chunks.map { ByteBuffer(bytes: $0) }
                return Response(
                    status: status, headers: responseHeaders, body: ResponseBody(asyncSequence: buffers))
            }
            // An event stream never ends by itself: graceful shutdown ends it, so that shutdown
            // does not wait for every open console.
            return Response(
                status: status, headers: responseHeaders,
                body: ResponseBody { writer in
                    try await withGracefulShutdownHandler {
                        for try await chunk in chunks { try await writer.write(ByteBuffer(bytes: chunk)) }
                    } onGracefulShutdown: {
                        api.finishEventStreams()
                    }
                    try await writer.finish(nil)
                })
        }
    }
}

/// **A demo scheme, not authentication**: the caller is whoever the `X-Demo-User` header or the
/// console's demo cookie (`taskworks_demo_user`) names (``DemoHost/caller(named:)``). With
/// `--allow-query-caller` the `as` query item works too (for trying links in a browser); it is
/// off by default, since a caller in a URL leaks through logs and referrers. A real host puts its
/// own sign-in here and maps the signed-in account to a ``Caller`` with its roles.
struct DemoAuthentication: Sendable {
    static let header = HTTPField.Name(DemoHost.userHeader)
    /// Whether `?as=NAME` also names the caller.
    let allowsQueryCaller: Bool

    func caller(of request: Request) -> Caller? {
        var name = DemoAuthentication.header.flatMap { request.headers[$0] }
        if name == nil { name = request.cookies[DemoHost.userCookie]?.value.removingPercentEncoding }
        if name == nil, allowsQueryCaller { name = request.uri.queryParameters["as"].map(String.init) }
        return DemoHost.caller(named: name)
    }
}
