/// One route of `TaskHTTPAPI` (TaskworksHTTP): a method, a path under the API's prefix (segments in braces are
/// parameters, e.g. `/reports/{name}/rebuild`) and a handler. Taskworks' own routes are built
/// this way, and a ``TaskPlugin`` contributes its own through ``TaskPlugin/httpRoutes``; the API
/// routes, authenticates, checks bodies and answers errors the same way for all of them.
///
/// ```swift
/// TaskHTTPRoute("POST", "/users/export", openAPI: operationJSON) { request in
///     let caller = try request.signedInCaller()
///     let body = try request.jsonObject(allowing: ["status", "keywords"])
///     let task = try await request.service.create(
///         "user_export", payload: ExportFilter(body), createdBy: caller)
///     return .task(task, status: 201)
/// }
/// ```
public struct TaskHTTPRoute: Sendable {
    /// Answers one matched request.
    public typealias Handler = @Sendable (TaskHTTPRouteRequest) async throws -> TaskHTTPResponse

    /// The first path segments Taskworks serves itself; no plugin route may start with one.
    public static let reservedFirstSegments: Set<String> = [
        "tasks", "task-types", "schedules", "settings", "openapi.json",
    ]

    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    public let method: String
    /// The path template under the API prefix, e.g. `/users/export`.
    public let path: String
    /// Whether anonymous requests reach the handler (else they get 401 first).
    public let allowsAnonymous: Bool
    /// The OpenAPI 3.1 operation object of this route, merged into
    /// `TaskHTTPAPI/servedOpenAPIDocument` (TaskworksHTTP); `nil` documents nothing.
    public let openAPIOperation: JSONValue?
    package let segments: [String]
    package let handler: Handler

    /// Makes a route. The method is upper-cased; the path is split at `/`.
    public init(
        _ method: String, _ path: String, allowsAnonymous: Bool = false, openAPI: JSONValue? = nil,
        handler: @escaping Handler
    ) {
        self.method = method.uppercased()
        self.path = path
        self.allowsAnonymous = allowsAnonymous
        self.openAPIOperation = openAPI
        self.segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        self.handler = handler
    }

    /// Whether `segment` of the template is a parameter such as `{id}`.
    package static func isParameter(_ segment: String) -> Bool {
        segment.count > 2 && segment.hasPrefix("{") && segment.hasSuffix("}")
    }

    /// Checks the method and path shape.
    package func validate() throws {
        guard ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) else {
            throw TaskworksError.invalidInput(
                "route method '\(method.prefix(20))' is not one of GET, POST, PUT, PATCH, DELETE")
        }
        guard path.hasPrefix("/"), !segments.isEmpty,
            segments.allSatisfy({ !$0.contains("{") || TaskHTTPRoute.isParameter($0) })
        else {
            throw TaskworksError.invalidInput(
                "route path '\(path.prefix(200))' must start with '/', have a segment, and write "
                    + "parameters as whole segments such as {name}")
        }
    }
}

/// A request matched to a ``TaskHTTPRoute``: the request, its caller, the path parameters and the
/// service, with strict JSON body reading.
public struct TaskHTTPRouteRequest: Sendable {
    /// The request as the host gave it.
    public let request: TaskHTTPRequest
    /// The service behind the API.
    public let service: TaskService
    /// Path parameters by name, percent-decoded once.
    public let parameters: [String: String]

    /// Makes the request a route handler gets (the API does, for each matched route).
    package init(request: TaskHTTPRequest, service: TaskService, parameters: [String: String]) {
        self.request = request
        self.service = service
        self.parameters = parameters
    }

    /// Who is asking (`nil` only on routes that allow anonymous requests).
    public var caller: Caller? { request.caller }

    /// The caller, or ``TaskworksError/Code/unauthenticated`` (answered 401) for an anonymous
    /// request.
    public func signedInCaller() throws -> Caller {
        guard let caller = request.caller else { throw TaskworksError.unauthenticated }
        return caller
    }

    /// The body as a JSON object whose top-level keys are all in `allowed`; an empty body is an
    /// empty object.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` (answered 400) for a body that is not JSON, not an object,
    ///   gives a key twice (anywhere), or has a key not in `allowed` (named in the message).
    public func jsonObject(allowing allowed: Set<String>) throws -> [String: JSONValue] {
        try TaskHTTPBody.object(request.body, allowing: allowed)
    }
}
