import Foundation
import Taskworks

/// Taskworks' own routes, as a table: the router, the `Allow` header and the OpenAPI check all
/// read this one list.
extension TaskHTTPAPI {
    static func builtInRoutes(_ configuration: Configuration, journal: TaskEventJournal) -> [TaskHTTPRoute] {
        var routes = [
            TaskHTTPRoute("GET", "/tasks") { try await list($0) },
            TaskHTTPRoute("POST", "/tasks") {
                try await create($0, creatableTypes: configuration.creatableTypes)
            },
            TaskHTTPRoute("GET", "/tasks/recent") { request in
                let items = try await request.service.recentTasks(for: try request.signedInCaller())
                return TaskHTTPAPI.itemsResponse(items)
            },
            TaskHTTPRoute("GET", "/tasks/counts") { request in
                .json(200, countsJSON(try await request.service.counts(for: try request.signedInCaller())))
            },
            TaskHTTPRoute("GET", "/tasks/{id}") { request in
                .task(try await request.service.task(try request.taskID(), as: try request.signedInCaller()))
            },
            TaskHTTPRoute("DELETE", "/tasks/{id}") { request in
                try await request.service.delete(try request.taskID(), as: try request.signedInCaller())
                return TaskHTTPResponse(status: 204)
            },
            TaskHTTPRoute("POST", "/tasks/{id}/cancel") { request in
                try request.requireEmptyBody()
                return .task(
                    try await request.service.cancel(try request.taskID(), as: try request.signedInCaller()))
            },
            TaskHTTPRoute("POST", "/tasks/{id}/retry") { request in
                try request.requireEmptyBody()
                return .task(
                    try await request.service.retry(try request.taskID(), as: try request.signedInCaller()))
            },
            TaskHTTPRoute("POST", "/tasks/{id}/pause") { request in
                try request.requireEmptyBody()
                return .task(
                    try await request.service.pause(try request.taskID(), as: try request.signedInCaller()))
            },
            TaskHTTPRoute("POST", "/tasks/{id}/resume") { request in
                try request.requireEmptyBody()
                return .task(
                    try await request.service.resume(try request.taskID(), as: try request.signedInCaller()))
            },
            TaskHTTPRoute("GET", "/tasks/{id}/artifact", allowsAnonymous: true) { request in
                try await download(request, links: configuration.downloadLinks)
            },
            TaskHTTPRoute("GET", "/task-types/paused") { request in
                let types = try await request.service.pausedTaskTypes(as: try request.signedInCaller())
                return .json(200, .object(["items": .array(types.sorted().map(JSONValue.string))]))
            },
            TaskHTTPRoute("POST", "/task-types/{type}/pause") { try await pauseType($0, pausing: true) },
            TaskHTTPRoute("POST", "/task-types/{type}/resume") { try await pauseType($0, pausing: false) },
            TaskHTTPRoute("GET", "/settings") { request in
                .json(200, settingsJSON(try await request.service.settings(as: try request.signedInCaller())))
            },
            TaskHTTPRoute("PUT", "/settings") { try await updateSettings($0) },
            TaskHTTPRoute("GET", "/events") { request in
                try await events(request, journal: journal, heartbeat: configuration.eventHeartbeat)
            },
            TaskHTTPRoute("GET", "/caller") { try caller($0) },
            TaskHTTPRoute("GET", "/workers") { try await workers($0) },
            TaskHTTPRoute("GET", "/stats") { try await stats($0) },
        ]
        if let signer = configuration.downloadLinks {
            routes.append(
                TaskHTTPRoute("POST", "/tasks/{id}/artifact/link") { request in
                    try request.requireEmptyBody()
                    return try await link(request, signer: signer, prefix: configuration.prefix)
                })
        }
        if let scheduler = configuration.scheduler {
            routes.append(
                TaskHTTPRoute("GET", "/schedules") { try await schedules($0, scheduler: scheduler) })
            routes.append(
                TaskHTTPRoute("POST", "/schedules/{name}/run") {
                    try await runSchedule($0, scheduler: scheduler)
                })
        }
        return routes
    }

    static func pauseType(_ request: TaskHTTPRouteRequest, pausing: Bool) async throws -> TaskHTTPResponse {
        try request.requireEmptyBody()
        let caller = try request.signedInCaller()
        let type = request.parameters["type"] ?? ""
        let changed =
            pausing
            ? try await request.service.pauseTaskType(type, as: caller)
            : try await request.service.resumeTaskType(type, as: caller)
        return .json(
            200, .object(["type": .string(type), "paused": .bool(pausing), "changed": .bool(changed)]))
    }

    /// `{"items":[task, …]` without the closing brace, for the bodies that list tasks.
    static func openItems(_ tasks: [TaskRecord]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + tasks.count * 480)
        bytes += #"{"items":["#.utf8
        for (offset, task) in tasks.enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            TaskJSON.append(task, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    static func itemsResponse(_ tasks: [TaskRecord]) -> TaskHTTPResponse {
        var bytes = openItems(tasks)
        bytes.append(UInt8(ascii: "}"))
        return TaskHTTPResponse(status: 200, headers: TaskHTTPResponse.jsonHeaders, body: .json(bytes))
    }

    static func pageResponse(_ page: TaskPage) -> TaskHTTPResponse {
        var bytes = openItems(page.items)
        bytes += #","total":"#.utf8
        JSONWriter.appendInteger(Int64(page.total), to: &bytes)
        bytes += #","page":"#.utf8
        JSONWriter.appendInteger(Int64(page.page), to: &bytes)
        bytes += #","pageSize":"#.utf8
        JSONWriter.appendInteger(Int64(page.pageSize), to: &bytes)
        bytes += #","hasMore":"#.utf8
        bytes += (page.hasMore ? "true" : "false").utf8
        bytes.append(UInt8(ascii: "}"))
        return TaskHTTPResponse(status: 200, headers: TaskHTTPResponse.jsonHeaders, body: .json(bytes))
    }

    static func countsJSON(_ counts: TaskCounts) -> JSONValue {
        .object([
            "byStatus": .object(
                Dictionary(
                    uniqueKeysWithValues: counts.byStatus.map { ($0.key.rawValue, .integer(Int64($0.value))) }
                )),
            "byType": .object(counts.byType.mapValues { .integer(Int64($0)) }),
            "total": .integer(Int64(counts.total)),
        ])
    }

    static func settingsJSON(_ settings: TaskSettings) -> JSONValue {
        .object(["maxConcurrentTasks": .integer(Int64(settings.maxConcurrentTasks))])
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> TaskHTTPResponse {
        .json(status, .object(["error": .object(["code": .string(code), "message": .string(message)])]))
    }
}

extension TaskHTTPRouteRequest {
    func taskID() throws -> TaskID {
        try TaskID(parsing: parameters["id"] ?? "")
    }

    /// Action routes take no fields: an empty body or `{}`.
    func requireEmptyBody() throws {
        _ = try jsonObject(allowing: [])
    }
}
