import Foundation
import Taskworks
import TaskworksDemoHostKit
import Vapor

/// Hands every request under the API prefix to Taskworks' framework-neutral ``TaskHTTPAPI``, and
/// the console's pages to ``TaskConsole``, and turns their answers into Vapor responses;
/// everything else goes on to Vapor's routes.
struct TaskworksVaporMiddleware: AsyncMiddleware {
    let api: TaskHTTPAPI
    let console: TaskConsole
    let prefix: String
    /// Request bodies larger than this are refused (task payloads are small).
    let maximumBodySize = 1 << 20

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard path == prefix || path.hasPrefix(prefix + "/") else {
            let page = console.handle(
                TaskHTTPRequest(method: request.method.rawValue, path: path, caller: nil))
            guard let page else { return try await next.respond(to: request) }
            return TaskworksVaporMiddleware.response(page)
        }
        let body = try await request.body.collect(max: maximumBodySize).get()
        let query = URLComponents(string: "?" + (request.url.query ?? ""))?.queryItems ?? []
        var headers: [String: String] = [:]
        for name in ["Content-Type", "Accept", "Last-Event-ID"] {
            if let value = request.headers.first(name: name) { headers[name] = value }
        }
        let answer = await api.handle(
            TaskHTTPRequest(
                method: request.method.rawValue, path: path, query: query, headers: headers,
                body: body.map { Array(buffer: $0) } ?? [],
                caller: TaskworksVaporMiddleware.caller(of: request)))
        return TaskworksVaporMiddleware.response(answer)
    }

    /// **A demo scheme, not authentication**: the caller the `X-Demo-User` header or the console's
    /// demo cookie names (``DemoHost/caller(named:)``). A real host uses its own sign-in.
    static func caller(of request: Request) -> Caller? {
        let name =
            request.headers.first(name: DemoHost.userHeader)
            ?? request.cookies[DemoHost.userCookie]?.string.removingPercentEncoding
        return DemoHost.caller(named: name)
    }

    static func response(_ answer: TaskHTTPResponse) -> Response {
        var headers = HTTPHeaders()
        for (name, value) in answer.headers { headers.replaceOrAdd(name: name, value: value) }
        let status = HTTPResponseStatus(statusCode: answer.status)
        switch answer.body {
        case .empty:
            return Response(status: status, headers: headers)
        case .json(let bytes), .bytes(let bytes):
            return Response(status: status, headers: headers, body: .init(buffer: ByteBuffer(bytes: bytes)))
        case .stream(let chunks):
            return Response(
                status: status, headers: headers,
                body: .init(managedAsyncStream: { writer in
                    for try await chunk in chunks {
                        try await writer.write(.buffer(ByteBuffer(bytes: chunk)))
                    }
                }))
        }
    }
}
