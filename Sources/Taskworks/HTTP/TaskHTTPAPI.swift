import Foundation

/// The task API over HTTP, framework-neutral: give it a ``TaskHTTPRequest`` (with the caller
/// your app authenticated) and send back the ``TaskHTTPResponse``. Mount it in Hummingbird,
/// Vapor or anything else with a few lines.
///
/// Routes, under ``Configuration/prefix`` (default `/api`):
///
/// | route | does |
/// |---|---|
/// | `GET /tasks` | list (`status`, `type`, `search`, `page`, `pageSize`, `sort`, `createdBy` for admins) |
/// | `GET /tasks/recent` | the caller's recent tasks |
/// | `GET /tasks/counts` | counts by status and type |
/// | `GET /tasks/{id}` | one task |
/// | `POST /tasks` | create (`{"type": …, "payload": …}`), for ``Configuration/creatableTypes`` only |
/// | `POST /tasks/{id}/cancel` | cancel |
/// | `POST /tasks/{id}/retry` | retry |
/// | `POST /tasks/{id}/pause`, `/resume` | pause a pending task, resume a paused one |
/// | `GET /task-types/paused` | the paused task types |
/// | `POST /task-types/{type}/pause`, `/resume` | pause or resume a whole type (admins and the system) |
/// | `DELETE /tasks/{id}` | soft delete |
/// | `GET /tasks/{id}/artifact` | download (session or signed link) |
/// | `POST /tasks/{id}/artifact/link` | a signed, expiring download link |
/// | `POST /schedules/{name}/run` | run a schedule now (admins and the system) |
///
/// Status codes: 200, 201 on create, 204 on delete; 400 with
/// `{"error": {"code": …, "message": …}}` for bad input; 401 without a caller; 403 for what the
/// caller may never do; 404 for unknown or invisible tasks (indistinguishable); 405 for a wrong
/// method; 409 for an invalid transition; 410 for an expired link; 5xx only for server faults.
public final class TaskHTTPAPI: Sendable {
    /// What the API allows.
    public struct Configuration: Sendable {
        /// The path prefix the routes live under. Default `/api`.
        public var prefix: String
        /// Task types callers may create with `POST /tasks`; empty (the default) disables it.
        public var creatableTypes: Set<String>
        /// Signs and checks download links; `nil` (the default) disables links.
        public var downloadLinks: DownloadLinkSigner?
        /// The scheduler behind `POST /schedules/{name}/run`; `nil` disables the route.
        public var scheduler: TaskScheduler?

        /// Makes a configuration.
        public init(
            prefix: String = "/api", creatableTypes: Set<String> = [],
            downloadLinks: DownloadLinkSigner? = nil,
            scheduler: TaskScheduler? = nil
        ) {
            self.prefix = prefix
            self.creatableTypes = creatableTypes
            self.downloadLinks = downloadLinks
            self.scheduler = scheduler
        }
    }

    /// The service behind the API.
    public let service: TaskService
    let configuration: Configuration

    /// Makes the API over `service`.
    public init(service: TaskService, configuration: Configuration = Configuration()) {
        self.service = service
        self.configuration = configuration
    }

    struct Failure: Error {
        let status: Int
        let code: String
        let message: String
    }

    /// The OpenAPI 3.1 document of these routes (paths relative to ``Configuration/prefix``), as
    /// shipped in the package's resources; serve it to API clients or feed it to a generator.
    public static var openAPIDocument: Data {
        get throws {
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
                throw TaskworksError.storageFailure(
                    "the openapi.json resource is missing from the Taskworks bundle")
            }
            return try Data(contentsOf: url)
        }
    }

    /// Answers one request. Never throws: every failure becomes a JSON error response.
    public func handle(_ request: TaskHTTPRequest) async -> TaskHTTPResponse {
        do {
            return try await route(request)
        } catch let failure as Failure {
            return TaskHTTPAPI.error(failure.status, failure.code, failure.message)
        } catch let error as TaskworksError {
            return TaskHTTPAPI.error(TaskHTTPAPI.status(for: error.code), error.code.name, error.message)
        } catch {
            return TaskHTTPAPI.error(500, "internal", "the server failed: \(error)")
        }
    }

    static func status(for code: TaskworksError.Code) -> Int {
        switch code {
        case .taskNotFound, .artifactNotFound: 404
        case .invalidInput, .invalidQuery, .unknownTaskType, .duplicateTaskType: 400
        case .invalidTransition, .duplicateTaskID: 409
        case .permissionDenied: 403
        case .contention: 503
        default: 500  // alreadyRunning, storageFailure, corruptStore, and codes added later
        }
    }

    private func route(_ request: TaskHTTPRequest) async throws -> TaskHTTPResponse {
        let prefix =
            configuration.prefix.hasSuffix("/")
            ? String(configuration.prefix.dropLast()) : configuration.prefix
        guard request.path == prefix || request.path.hasPrefix(prefix + "/") else {
            throw notFoundRoute(request)
        }
        let parts = request.path.dropFirst(prefix.count).split(separator: "/").map(String.init)
        let method = request.method.uppercased()
        switch parts.first {
        case "tasks"?:
            return try await tasksRoute(Array(parts.dropFirst()), method: method, request)
        case "task-types"?:
            return try await taskTypesRoute(Array(parts.dropFirst()), method: method, request)
        case "schedules"? where parts.count == 3 && parts[2] == "run":
            try requireMethod("POST", method)
            return try await runSchedule(parts[1], caller: try authenticated(request))
        default:
            throw notFoundRoute(request)
        }
    }

    private func tasksRoute(_ parts: [String], method: String, _ request: TaskHTTPRequest) async throws
        -> TaskHTTPResponse
    {
        switch parts.count {
        case 0:
            if method == "POST" { return try await create(request, caller: try authenticated(request)) }
            try requireMethod("GET", method, also: ["POST"])
            return try await list(request, caller: try authenticated(request))
        case 1 where parts[0] == "recent":
            try requireMethod("GET", method)
            let items = try await service.recentTasks(for: try authenticated(request))
            return TaskHTTPAPI.json(200, .object(["items": .array(items.map(TaskHTTPAPI.taskJSON))]))
        case 1 where parts[0] == "counts":
            try requireMethod("GET", method)
            let counts = try await service.counts(for: try authenticated(request))
            return TaskHTTPAPI.json(200, TaskHTTPAPI.countsJSON(counts))
        case 1:
            let id = try TaskHTTPAPI.taskID(parts[0])
            switch method {
            case "GET":
                return TaskHTTPAPI.json(
                    200, TaskHTTPAPI.taskJSON(try await service.task(id, as: try authenticated(request))))
            case "DELETE":
                try await service.delete(id, as: try authenticated(request))
                return TaskHTTPResponse(status: 204, headers: [:], body: .empty)
            default: throw methodNotAllowed(method, allowed: ["GET", "DELETE"])
            }
        case 2 where ["cancel", "retry", "pause", "resume"].contains(parts[1]):
            try requireMethod("POST", method)
            let id = try TaskHTTPAPI.taskID(parts[0])
            let caller = try authenticated(request)
            let task: TaskRecord
            switch parts[1] {
            case "cancel": task = try await service.cancel(id, as: caller)
            case "retry": task = try await service.retry(id, as: caller)
            case "pause": task = try await service.pause(id, as: caller)
            default: task = try await service.resume(id, as: caller)
            }
            return TaskHTTPAPI.json(200, TaskHTTPAPI.taskJSON(task))
        case 2 where parts[1] == "artifact":
            try requireMethod("GET", method)
            return try await download(try TaskHTTPAPI.taskID(parts[0]), request)
        case 3 where parts[1] == "artifact" && parts[2] == "link":
            try requireMethod("POST", method)
            return try await link(try TaskHTTPAPI.taskID(parts[0]), caller: try authenticated(request))
        default:
            throw notFoundRoute(request)
        }
    }
}
