import Foundation

/// The route handlers: each reads its request, calls the service and answers.
extension TaskHTTPAPI {
    func list(_ request: TaskHTTPRequest, caller: Caller) async throws -> TaskHTTPResponse {
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
        return TaskHTTPAPI.json(200, TaskHTTPAPI.pageJSON(page))
    }

    func integer(_ name: String, in request: TaskHTTPRequest) throws -> Int? {
        guard let text = request.queryValue(name) else { return nil }
        guard let value = Int(text) else {
            throw TaskworksError.invalidQuery("\(name) must be a whole number; got '\(text.prefix(40))'")
        }
        return value
    }

    func create(_ request: TaskHTTPRequest, caller: Caller) async throws -> TaskHTTPResponse {
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

    func download(_ id: TaskID, _ request: TaskHTTPRequest) async throws -> TaskHTTPResponse {
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

    func link(_ id: TaskID, caller: Caller) async throws -> TaskHTTPResponse {
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
            .object([
                "url": .string(components.string ?? ""),
                "expiresAt": .string(
                    ISO8601DateFormatter().string(from: now.addingTimeInterval(signer.lifetime.timeInterval))),
            ]))
    }

    func runSchedule(_ name: String, caller: Caller) async throws -> TaskHTTPResponse {
        guard caller.seesEveryTask else {
            throw Failure(status: 403, code: "forbidden", message: "only admins may run schedules")
        }
        guard let scheduler = configuration.scheduler, scheduler.scheduleNames.contains(name) else {
            throw Failure(
                status: 404, code: "scheduleNotFound", message: "no schedule is named '\(name.prefix(100))'")
        }
        switch try await scheduler.runNow(name) {
        case .fired(_, _, let task):
            return TaskHTTPAPI.json(
                200, .object(["outcome": .string("fired"), "task": TaskHTTPAPI.taskJSON(task)]))
        case .skipped(_, _, let running):
            return TaskHTTPAPI.json(
                200, .object(["outcome": .string("skipped"), "task": TaskHTTPAPI.taskJSON(running)]))
        }
    }

    func taskTypesRoute(_ parts: [String], method: String, _ request: TaskHTTPRequest) async throws
        -> TaskHTTPResponse
    {
        switch parts.count {
        case 1 where parts[0] == "paused":
            try requireMethod("GET", method)
            let types = try await service.pausedTaskTypes(as: try authenticated(request))
            return TaskHTTPAPI.json(200, .object(["items": .array(types.sorted().map(JSONValue.string))]))
        case 2 where parts[1] == "pause" || parts[1] == "resume":
            try requireMethod("POST", method)
            let caller = try authenticated(request)
            let type = parts[0].removingPercentEncoding ?? parts[0]
            let pausing = parts[1] == "pause"
            let changed =
                pausing
                ? try await service.pauseTaskType(type, as: caller)
                : try await service.resumeTaskType(type, as: caller)
            return TaskHTTPAPI.json(
                200, .object(["type": .string(type), "paused": .bool(pausing), "changed": .bool(changed)]))
        default:
            throw notFoundRoute(request)
        }
    }
}
