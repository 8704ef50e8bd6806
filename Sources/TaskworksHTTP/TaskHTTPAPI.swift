import Foundation
import Taskworks

/// The task API over HTTP, framework-neutral: give it a `TaskHTTPRequest` (with the caller
/// your app authenticated) and send back the `TaskHTTPResponse`. Mount it in Hummingbird,
/// Vapor or anything else with a few lines.
///
/// Routes, under ``Configuration/prefix`` (default `/api`):
///
/// | route | does |
/// |---|---|
/// | `GET /tasks` | list (`status`, `type`, `search`, `page`, `pageSize`, `sort`, `createdBy` for admins) |
/// | `GET /tasks/recent` | the caller's recent tasks |
/// | `GET /events` | the caller's task events, as server-sent events |
/// | `GET /caller` | who the caller is and what the policy allows it |
/// | `GET /schedules` | the schedules, their next fire and latest run |
/// | `GET /workers` | the running tasks by worker |
/// | `GET /stats?window=` | throughput, queue depth and waits per minute and type (the dashboard) |
/// | `GET /tasks/counts` | counts by status and type |
/// | `GET /tasks/{id}` | one task |
/// | `POST /tasks` | create (`{"type": …, "payload": …}`), for ``Configuration/creatableTypes`` only |
/// | `POST /tasks/{id}/cancel`, `/retry` | cancel, retry |
/// | `POST /tasks/{id}/pause`, `/resume` | pause a pending task, resume a paused one |
/// | `GET /task-types/paused` | the paused task types |
/// | `POST /task-types/{type}/pause`, `/resume` | pause or resume a whole type |
/// | `DELETE /tasks/{id}` | soft delete |
/// | `GET /tasks/{id}/artifact` | download (session or signed link) |
/// | `POST /tasks/{id}/artifact/link` | a signed, expiring download link |
/// | `POST /schedules/{name}/run` | run a schedule now |
/// | `GET /settings`, `PUT /settings` | the shared `TaskSettings` |
/// | `GET /openapi.json` | the OpenAPI document of this API, plugin routes included |
///
/// Plus every route installed plugins contribute (`TaskPlugin/httpRoutes`). Each operation is checked by the service's
/// `TaskAuthorizationPolicy`.
///
/// Status codes: 200, 201 on create, 204 on delete; 400 with
/// `{"error": {"code": …, "message": …}}` for bad input (an unknown or repeated body field
/// included); 401 without a caller; 403 for what the policy refuses on a visible task; 404 for
/// unknown or invisible tasks (indistinguishable); 405 with `Allow` for a wrong method; 409 for
/// an invalid transition; 410 for an expired link; 413 for a body over
/// ``Configuration/maximumBodySize``; 415 for a `POST`/`PUT` whose `Content-Type` is not
/// `application/json`; 5xx only for server faults. Every response carries
/// ``securityHeaders``.
public final class TaskHTTPAPI: Sendable {
    /// What the API allows.
    public struct Configuration: Sendable {
        /// The path prefix the routes live under. Default `/api`.
        public var prefix: String
        /// Task types callers may create with `POST /tasks`; empty (the default) disables it.
        /// Who may create which type is then the policy's decision.
        public var creatableTypes: Set<String>
        /// Signs and checks download links; `nil` (the default) disables links.
        public var downloadLinks: DownloadLinkSigner?
        /// The scheduler behind `POST /schedules/{name}/run`; `nil` disables the route.
        public var scheduler: TaskScheduler?
        /// The largest request body accepted; larger ones get 413. Default 1 MiB.
        public var maximumBodySize: Int
        /// How often `GET /events` sends a heartbeat comment on an idle stream. Default 15 s.
        public var eventHeartbeat: Duration
        /// The OpenAPI security scheme object describing how the host authenticates callers
        /// (served in ``TaskHTTPAPI/servedOpenAPIDocument``). Default: an `Authorization` header.
        public var securityScheme: JSONValue

        /// Makes a configuration.
        public init(
            prefix: String = "/api", creatableTypes: Set<String> = [],
            downloadLinks: DownloadLinkSigner? = nil,
            scheduler: TaskScheduler? = nil, maximumBodySize: Int = 1 << 20,
            eventHeartbeat: Duration = .seconds(15),
            securityScheme: JSONValue = .object([
                "type": .string("apiKey"), "in": .string("header"), "name": .string("Authorization"),
            ])
        ) {
            self.prefix = prefix
            self.creatableTypes = creatableTypes
            self.downloadLinks = downloadLinks
            self.scheduler = scheduler
            self.maximumBodySize = maximumBodySize
            self.eventHeartbeat = eventHeartbeat > .zero ? eventHeartbeat : .seconds(15)
            self.securityScheme = securityScheme
        }
    }

    /// Headers on every response: nothing here may be framed, sniffed, cached, or run scripts.
    public static let securityHeaders: [String: String] = [
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
        "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    ]

    /// The service behind the API.
    public let service: TaskService
    let configuration: Configuration
    let prefix: String
    let router: TaskHTTPRouter
    /// The recent events `GET /events` streams and replays.
    let eventJournal: TaskEventJournal

    /// Makes the API over `service`, serving Taskworks' routes and those of the plugins installed
    /// in the service's registry (`TaskRegistry/httpRoutes`, checked when installed).
    public init(service: TaskService, configuration: Configuration = Configuration()) {
        self.service = service
        self.configuration = configuration
        self.prefix =
            configuration.prefix.hasSuffix("/")
            ? String(configuration.prefix.dropLast()) : configuration.prefix
        let journal = TaskEventJournal()
        self.eventJournal = journal
        let routes = TaskHTTPAPI.builtInRoutes(configuration, journal: journal) + service.registry.httpRoutes
        let document = TaskHTTPAPI.servedDocument(routes: routes, configuration: configuration)
        self.servedOpenAPIDocument = document
        self.router = TaskHTTPRouter(routes: routes + [TaskHTTPAPI.openAPIRoute(document)])
    }

    /// The OpenAPI 3.1 document this API serves at `GET {prefix}/openapi.json`: Taskworks'
    /// routes as configured (links and schedules only when enabled), its plugins' routes, and
    /// the host's ``Configuration/securityScheme``.
    public let servedOpenAPIDocument: JSONValue

    /// Every route served, as `METHOD /path` templates relative to the prefix.
    public var routeTemplates: [String] {
        router.routes.map { "\($0.method) \($0.path)" }
    }

    /// Answers one request. Never throws: every failure becomes a JSON error response.
    public func handle(_ request: TaskHTTPRequest) async -> TaskHTTPResponse {
        var response: TaskHTTPResponse
        do {
            response = try await route(request)
        } catch let error as TaskHTTPError {
            response = TaskHTTPAPI.response(for: error)
        } catch let error as TaskworksError {
            response = TaskHTTPAPI.error(TaskHTTPAPI.status(for: error.code), error.code.name, error.message)
        } catch {
            response = TaskHTTPAPI.error(500, "internal", "the server failed: \(error)")
        }
        response.headers.merge(TaskHTTPAPI.securityHeaders) { own, _ in own }
        if request.method.uppercased() == "HEAD" { response = response.withoutBody() }
        return response
    }

    /// The JSON error response for `error` (with `Allow` for a 405), and the security headers.
    static func response(for error: TaskHTTPError) -> TaskHTTPResponse {
        var response = TaskHTTPAPI.error(error.status, error.code, error.message)
        if let allowed = error.allowedMethods {
            response.headers["Allow"] = allowed.joined(separator: ", ")
        }
        response.headers.merge(TaskHTTPAPI.securityHeaders) { own, _ in own }
        return response
    }

    /// Ends every open `GET /events` stream, as a server does at graceful shutdown (an event
    /// stream never ends by itself, so a server waiting for open requests would wait forever).
    /// Browsers reconnect by themselves; streams opened later work as before.
    public func finishEventStreams() {
        eventJournal.finishSubscriptions()
    }

    static func status(for code: TaskworksError.Code) -> Int {
        switch code {
        case .taskNotFound, .artifactNotFound: 404
        case .invalidInput, .invalidQuery, .unknownTaskType, .duplicateTaskType: 400
        case .invalidTransition, .duplicateTaskID: 409
        case .permissionDenied: 403
        case .unauthenticated: 401
        case .contention: 503
        case .unsupported: 501
        default: 500  // alreadyRunning, storageFailure, corruptStore, and codes added later
        }
    }

    private func route(_ request: TaskHTTPRequest) async throws -> TaskHTTPResponse {
        let method = request.method.uppercased()
        guard let segments = try TaskHTTPRouter.segments(of: request.path, under: prefix) else {
            throw notFoundRoute(request)
        }
        switch router.match(method: method, segments: segments) {
        case .notFound:
            throw notFoundRoute(request)
        case .methodNotAllowed(let allowed):
            throw TaskHTTPError.methodNotAllowed(method, allowed: allowed)
        case .found(let route, let parameters):
            if !route.allowsAnonymous && request.caller == nil { throw TaskworksError.unauthenticated }
            if request.body.count > configuration.maximumBodySize {
                throw TaskHTTPError.payloadTooLarge(
                    count: request.body.count, limit: configuration.maximumBodySize)
            }
            if ["POST", "PUT", "PATCH"].contains(method),
                !TaskHTTPBody.isJSON(contentType: request.header("Content-Type"))
            {
                throw TaskHTTPError(
                    status: 415, code: "unsupportedMediaType",
                    message: "\(method) requests must be sent with Content-Type: application/json "
                        + "(an empty body is fine where none is needed)")
            }
            return try await route.handler(
                TaskHTTPRouteRequest(request: request, service: service, parameters: parameters))
        }
    }

    func notFoundRoute(_ request: TaskHTTPRequest) -> TaskHTTPError {
        TaskHTTPError(
            status: 404, code: "routeNotFound",
            message: "no route for \(request.method.prefix(10)) \(request.path.prefix(200))")
    }
}
