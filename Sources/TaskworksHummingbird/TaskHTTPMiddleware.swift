#if Hummingbird
    import Foundation
    import HTTPTypes
    import Hummingbird
    import NIOCore
    import ServiceLifecycle
    import Taskworks
    import TaskworksHTTP

    extension Router {
        /// Mounts Taskworks' HTTP API, its event stream and the task console on this router, under
        /// `mount`'s prefix (`/tasks` unless the host picked another), with one middleware.
        ///
        /// ```swift
        /// let mount = try TaskHTTPMount(service: service)
        /// router.addTaskworks(mount) { request, context in try await signedInCaller(request) }
        /// ```
        ///
        /// - Parameters:
        ///   - mount: The API and console to serve.
        ///   - caller: The host's sign-in: who sent `request`, or `nil` for nobody (the API
        ///     answers 401). Called for API requests only; console pages need no caller.
        public func addTaskworks(
            _ mount: TaskHTTPMount,
            caller: @escaping @Sendable (Request, Context) async throws -> Caller?
        ) {
            middlewares.add(TaskHTTPMiddleware(mount: mount, caller: caller))
        }
    }

    /// Hands requests under a `TaskHTTPMount`'s prefix to Taskworks and everything else on to
    /// the router. Request bodies over the API's limit get 413; server-sent event streams end at
    /// the application's graceful shutdown, so shutdown does not wait for open consoles.
    public struct TaskHTTPMiddleware<Context: RequestContext>: RouterMiddleware {
        /// What the middleware serves.
        public let mount: TaskHTTPMount
        let caller: @Sendable (Request, Context) async throws -> Caller?

        /// Makes the middleware; `Hummingbird.Router.addTaskworks(_:caller:)` adds it for you.
        public init(
            mount: TaskHTTPMount, caller: @escaping @Sendable (Request, Context) async throws -> Caller?
        ) {
            self.mount = mount
            self.caller = caller
        }

        /// Answers requests under the mount's prefix; hands the others to `next`.
        public func handle(
            _ request: Request, context: Context, next: (Request, Context) async throws -> Response
        ) async throws -> Response {
            let path = request.uri.path
            guard mount.owns(path) else { return try await next(request, context) }
            guard mount.isAPI(path) else {
                let page = mount.page(
                    TaskHTTPRequest(method: request.method.rawValue, path: path, caller: nil))
                guard let page else { return try await next(request, context) }
                return response(page)
            }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: mount.maximumBodySize)
            } catch is NIOTooManyBytesError {
                return response(mount.bodyTooLarge())
            }
            let query = request.uri.queryParameters.map {
                URLQueryItem(name: String($0.key), value: String($0.value))
            }
            var headers: [String: String] = [:]
            for name in TaskHTTPMount.forwardedHeaders {
                if let field = HTTPField.Name(name), let value = request.headers[field] {
                    headers[name] = value
                }
            }
            let answer = await mount.api.handle(
                TaskHTTPRequest(
                    method: request.method.rawValue, path: path, query: query, headers: headers,
                    body: Array(buffer: body), caller: try await caller(request, context)))
            return response(answer)
        }

        func response(_ answer: TaskHTTPResponse) -> Response {
            var headers = HTTPFields()
            for (name, value) in answer.headers {
                if let field = HTTPField.Name(name) { headers[field] = value }
            }
            let status = HTTPResponse.Status(code: answer.status)
            switch answer.body {
            case .empty:
                return Response(status: status, headers: headers)
            case .json(let bytes), .bytes(let bytes):
                return Response(
                    status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
                )
            case .stream(let chunks):
                let mount = self.mount
                return Response(
                    status: status, headers: headers,
                    body: ResponseBody { writer in
                        // An event stream never ends by itself: graceful shutdown ends it. An
                        // artifact's stream ends when its bytes do.
                        try await withGracefulShutdownHandler {
                            for try await chunk in chunks { try await writer.write(ByteBuffer(bytes: chunk)) }
                        } onGracefulShutdown: {
                            mount.finishEventStreams()
                        }
                        try await writer.finish(nil)
                    })
            }
        }
    }
#endif
