#if Vapor
    import Foundation
    import Taskworks
    import TaskworksHTTP
    import Vapor

    /// Taskworks' HTTP API, its event stream and the task console as Vapor routes under a
    /// `TaskHTTPMount`'s prefix (`/tasks` unless the host picked another):
    /// `try app.register(collection: TaskworksRoutes(mount: mount) { request in … })`.
    ///
    /// Request bodies over the API's limit get 413. Add ``TaskworksLifecycle`` too, so open event
    /// streams end when the application shuts down.
    public struct TaskworksRoutes: RouteCollection, Sendable {
        /// What the routes serve.
        public let mount: TaskHTTPMount
        let caller: @Sendable (Request) async throws -> Caller?

        /// Makes the routes.
        ///
        /// - Parameters:
        ///   - mount: The API and console to serve.
        ///   - caller: The host's sign-in: who sent `request`, or `nil` for nobody (the API answers
        ///     401). Called for API requests only; console pages need no caller.
        public init(mount: TaskHTTPMount, caller: @escaping @Sendable (Request) async throws -> Caller?) {
            self.mount = mount
            self.caller = caller
        }

        /// Registers the prefix and everything under it for `GET` (and so `HEAD`), `POST`, `PUT`
        /// and `DELETE`.
        public func boot(routes: any RoutesBuilder) throws {
            let prefix = mount.prefix.split(separator: "/").map { PathComponent.constant(String($0)) }
            for method: HTTPMethod in [.GET, .POST, .PUT, .DELETE] {
                routes.on(method, prefix, body: .stream, use: respond)
                routes.on(method, prefix + [.catchall], body: .stream, use: respond)
            }
        }

        @Sendable func respond(to request: Request) async throws -> Response {
            let path = request.url.path
            guard mount.isAPI(path) else {
                let page = mount.page(
                    TaskHTTPRequest(method: request.method.rawValue, path: path, caller: nil))
                guard let page else { throw Abort(.notFound) }
                return TaskworksRoutes.response(page)
            }
            let body: ByteBuffer?
            do {
                body = try await request.body.collect(max: mount.maximumBodySize).get()
            } catch let error as Abort where error.status == .payloadTooLarge {
                return TaskworksRoutes.response(mount.bodyTooLarge())
            }
            let query = URLComponents(string: "?" + (request.url.query ?? ""))?.queryItems ?? []
            var headers: [String: String] = [:]
            for name in TaskHTTPMount.forwardedHeaders {
                if let value = request.headers.first(name: name) { headers[name] = value }
            }
            let answer = await mount.api.handle(
                TaskHTTPRequest(
                    method: request.method.rawValue, path: path, query: query, headers: headers,
                    body: body.map { Array(buffer: $0) } ?? [], caller: try await caller(request)))
            return TaskworksRoutes.response(answer)
        }

        static func response(_ answer: TaskHTTPResponse) -> Response {
            var headers = HTTPHeaders()
            for (name, value) in answer.headers { headers.replaceOrAdd(name: name, value: value) }
            let status = HTTPResponseStatus(statusCode: answer.status)
            switch answer.body {
            case .empty:
                return Response(status: status, headers: headers)
            case .json(let bytes), .bytes(let bytes):
                return Response(
                    status: status, headers: headers, body: .init(buffer: ByteBuffer(bytes: bytes)))
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
#endif
