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

    private struct Failure: Error {
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
            return TaskHTTPAPI.json(200, ["items": items.map(TaskHTTPAPI.taskJSON)])
        case 1 where parts[0] == "counts":
            try requireMethod("GET", method)
            let counts = try await service.counts(for: try authenticated(request))
            return TaskHTTPAPI.json(
                200,
                [
                    "byStatus": Dictionary(
                        uniqueKeysWithValues: counts.byStatus.map { ($0.key.rawValue, $0.value) }),
                    "byType": counts.byType, "total": counts.total,
                ])
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
        case 2 where parts[1] == "cancel" || parts[1] == "retry":
            try requireMethod("POST", method)
            let id = try TaskHTTPAPI.taskID(parts[0])
            let caller = try authenticated(request)
            let task =
                parts[1] == "cancel"
                ? try await service.cancel(id, as: caller) : try await service.retry(id, as: caller)
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

    // MARK: - Handlers

    private func list(_ request: TaskHTTPRequest, caller: Caller) async throws -> TaskHTTPResponse {
        var query = TaskQuery()
        let statuses = request.queryValues("status")
        if !statuses.isEmpty {
            query.statuses = Set(
                try statuses.map { text in
                    guard let status = TaskStatus(rawValue: text) else {
                        throw TaskworksError.invalidQuery(
                            "status '\(text.prefix(40))' is not one of "
                                + TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    return status
                })
        }
        let types = request.queryValues("type")
        if !types.isEmpty { query.types = Set(types) }
        query.search = request.queryValue("search")
        query.createdBy = request.queryValue("createdBy")
        if let text = request.queryValue("sort") {
            guard let sort = TaskSort(rawValue: text) else {
                throw TaskworksError.invalidQuery(
                    "sort '\(text.prefix(40))' is not one of "
                        + TaskSort.allCases.map(\.rawValue).joined(separator: ", "))
            }
            query.sort = sort
        }
        query.page = try integer("page", in: request) ?? 1
        query.pageSize = try integer("pageSize", in: request) ?? TaskQuery.defaultPageSize
        let page = try await service.list(query, as: caller)
        return TaskHTTPAPI.json(
            200,
            [
                "items": page.items.map(TaskHTTPAPI.taskJSON), "total": page.total, "page": page.page,
                "pageSize": page.pageSize, "hasMore": page.hasMore,
            ])
    }

    private func integer(_ name: String, in request: TaskHTTPRequest) throws -> Int? {
        guard let text = request.queryValue(name) else { return nil }
        guard let value = Int(text) else {
            throw TaskworksError.invalidQuery("\(name) must be a whole number; got '\(text.prefix(40))'")
        }
        return value
    }

    private func create(_ request: TaskHTTPRequest, caller: Caller) async throws -> TaskHTTPResponse {
        // The store's own parser: nesting is bounded, so no body can exhaust the stack.
        guard let text = String(validating: request.body, as: UTF8.self),
            let body = try? JSONValue(jsonText: text)
        else {
            throw TaskworksError.invalidInput(
                "the request body is not JSON (UTF-8, nested at most \(JSONValue.maximumNestingDepth) deep); "
                    + "send {\"type\": …, \"payload\": …}")
        }
        guard case .object(let fields) = body, case .string(let type)? = fields["type"] else {
            throw TaskworksError.invalidInput(
                "the request body needs a \"type\" string: {\"type\": …, \"payload\": …}")
        }
        guard configuration.creatableTypes.contains(type) else {
            throw Failure(
                status: 403, code: "forbidden",
                message:
                    "creating tasks of type '\(type.prefix(100))' over HTTP is not enabled on this server")
        }
        let payload = fields["payload"].flatMap { $0 == .null ? nil : $0 }
        let creation = try await service.createReportingDuplicate(
            type, json: payload, options: TaskOptions(), createdBy: caller, onComplete: nil)
        return TaskHTTPAPI.json(201, TaskHTTPAPI.taskJSON(creation.task))
    }

    private func download(_ id: TaskID, _ request: TaskHTTPRequest) async throws -> TaskHTTPResponse {
        var caller = request.caller
        if request.queryValue("signature") != nil {
            guard let signer = configuration.downloadLinks else {
                throw Failure(
                    status: 403, code: "forbidden", message: "signed download links are not enabled")
            }
            switch signer.verify(request, id: id, now: service.clock.now()) {
            case .valid(let signed): caller = signed
            case .invalid:
                throw Failure(status: 403, code: "badSignature", message: "the download link is not valid")
            case .expired:
                throw Failure(
                    status: 410, code: "linkExpired", message: "the download link expired; ask for a new one")
            }
        }
        guard let caller else { throw unauthenticated }
        let download = try await service.openArtifact(of: id, as: caller)
        return TaskHTTPResponse(
            status: 200,
            headers: [
                "Content-Type": download.artifact.contentType, "Content-Length": String(download.size),
                "Content-Disposition": TaskHTTPAPI.contentDisposition(download.artifact.fileName),
                "X-Content-Type-Options": "nosniff",
            ],
            body: .stream(download.bytes))
    }

    private func link(_ id: TaskID, caller: Caller) async throws -> TaskHTTPResponse {
        guard let signer = configuration.downloadLinks else {
            throw Failure(
                status: 404, code: "routeNotFound", message: "signed download links are not enabled")
        }
        _ = try await service.artifact(of: id, as: caller)  // visible, and has an artifact
        let now = service.clock.now()
        var components = URLComponents()
        components.path = "\(configuration.prefix)/tasks/\(id)/artifact"
        components.queryItems = signer.queryItems(for: id, caller: caller, now: now)
        return TaskHTTPAPI.json(
            200,
            [
                "url": components.string ?? "",
                "expiresAt": ISO8601DateFormatter().string(
                    from: now.addingTimeInterval(signer.lifetime.timeInterval)),
            ])
    }

    private func runSchedule(_ name: String, caller: Caller) async throws -> TaskHTTPResponse {
        guard caller.seesEveryTask else {
            throw Failure(status: 403, code: "forbidden", message: "only admins may run schedules")
        }
        guard let scheduler = configuration.scheduler, scheduler.scheduleNames.contains(name) else {
            throw Failure(
                status: 404, code: "scheduleNotFound", message: "no schedule is named '\(name.prefix(100))'")
        }
        switch try await scheduler.runNow(name) {
        case .fired(_, _, let task):
            return TaskHTTPAPI.json(200, ["outcome": "fired", "task": TaskHTTPAPI.taskJSON(task)])
        case .skipped(_, _, let running):
            return TaskHTTPAPI.json(200, ["outcome": "skipped", "task": TaskHTTPAPI.taskJSON(running)])
        }
    }

    // MARK: - Helpers

    private func authenticated(_ request: TaskHTTPRequest) throws -> Caller {
        guard let caller = request.caller else { throw unauthenticated }
        return caller
    }

    private var unauthenticated: Failure {
        Failure(status: 401, code: "unauthenticated", message: "sign in first: this route needs a caller")
    }

    private func requireMethod(_ expected: String, _ method: String, also: [String] = []) throws {
        guard method == expected else { throw methodNotAllowed(method, allowed: [expected] + also) }
    }

    private func methodNotAllowed(_ method: String, allowed: [String]) -> Failure {
        Failure(
            status: 405, code: "methodNotAllowed",
            message: "\(method.prefix(10)) is not allowed here; use \(allowed.joined(separator: " or "))")
    }

    private func notFoundRoute(_ request: TaskHTTPRequest) -> Failure {
        Failure(
            status: 404, code: "routeNotFound",
            message: "no route for \(request.method.prefix(10)) \(request.path.prefix(200))")
    }

    private static func taskID(_ text: String) throws -> TaskID {
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

    static func taskJSON(_ task: TaskRecord) -> [String: Any] {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var json: [String: Any] = [
            "id": task.id.description, "type": task.type, "status": task.status.rawValue,
            "priority": task.priority,
            "progress": task.progress, "createdBy": task.createdBy, "attempts": task.attempts,
            "maxRetries": task.maxRetries, "cancelRequested": task.cancelRequested,
            "createdAt": iso.string(from: task.createdAt), "updatedAt": iso.string(from: task.updatedAt),
            "runAfter": iso.string(from: task.runAfter),
        ]
        if let payload = task.payload { json["payload"] = foundationJSON(payload) }
        if let result = task.result { json["result"] = foundationJSON(result) }
        if let message = task.errorMessage { json["errorMessage"] = message }
        if let artifact = task.artifact {
            json["artifact"] = ["fileName": artifact.fileName, "contentType": artifact.contentType]
        }
        if let date = task.startedAt { json["startedAt"] = iso.string(from: date) }
        if let date = task.finishedAt { json["finishedAt"] = iso.string(from: date) }
        return json
    }

    private static func foundationJSON(_ value: JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let flag): flag
        case .integer(let number): number
        case .double(let number): number
        case .string(let text): text
        case .array(let items): items.map(foundationJSON)
        case .object(let members): members.mapValues(foundationJSON)
        }
    }

    static func json(_ status: Int, _ object: Any) -> TaskHTTPResponse {
        let data =
            (try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return TaskHTTPResponse(
            status: status, headers: ["Content-Type": "application/json; charset=utf-8"],
            body: .json([UInt8](data)))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> TaskHTTPResponse {
        json(status, ["error": ["code": code, "message": message]])
    }
}
