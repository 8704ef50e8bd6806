import Foundation
import Taskworks

/// The routes a console reads besides tasks: who the caller is and what it may do
/// (`GET /caller`), the schedules (`GET /schedules`) and the running tasks by worker
/// (`GET /workers`).
extension TaskHTTPAPI {
    /// The permissions `GET /caller` reports on, besides creating each registered type.
    static let reportedPermissions: [TaskOperation] = [
        .list, .view, .cancel, .retry, .delete, .pause, .download, .viewSettings, .changeSettings,
    ]

    /// `{"id", "kind", "roles", "seesEveryTask", "permissions", "creatableTypes"}`: what the
    /// policy allows the caller in general (on no particular task). A console shows only the
    /// controls these allow; every request is still checked on its own.
    static func caller(_ input: TaskHTTPRouteRequest) throws -> TaskHTTPResponse {
        let caller = try input.signedInCaller().validated()
        let policy = input.service.configuration.authorization
        let registry = input.service.registry
        var permissions = Set(
            reportedPermissions.filter { policy.allows($0, by: caller, on: nil) }.map(\.permission.name))
        if policy.allows(.pauseTaskType(""), by: caller, on: nil) {
            permissions.insert(TaskPermission.pauseTaskTypes.name)
        }
        if policy.allows(.runSchedule(""), by: caller, on: nil) {
            permissions.insert(TaskPermission.runSchedules.name)
        }
        let creatable = registry.typeNames.filter { type in
            policy.allows(
                .create(taskType: type, permission: registry.creationPermission(for: type)), by: caller,
                on: nil)
        }
        return .json(
            200,
            .object([
                "id": .string(caller.creatorID), "kind": .string(caller.kind.rawValue),
                "roles": .array(caller.roles.sorted().map(JSONValue.string)),
                "seesEveryTask": .bool(policy.seesEveryTask(caller)),
                "permissions": .array(permissions.sorted().map(JSONValue.string)),
                "creatableTypes": .array(creatable.sorted().map(JSONValue.string)),
            ]))
    }

    /// `GET /schedules`: every schedule with its rule, next fire and latest run, for callers the
    /// policy lets view settings.
    static func schedules(_ input: TaskHTTPRouteRequest, scheduler: TaskScheduler) async throws
        -> TaskHTTPResponse
    {
        try input.service.authorize(.viewSettings, as: try input.signedInCaller())
        var bytes = Array(#"{"items":["#.utf8)
        for (offset, schedule) in try await scheduler.overview().enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            var object = JSONObjectWriter(appendingTo: &bytes)
            object.string("name", schedule.name)
            object.string("taskType", schedule.taskType)
            object.string("rule", schedule.rule)
            if let next = schedule.nextFire {
                object.key("nextFire")
                InternetDateText.append(next, quoted: true, to: &object.bytes)
            }
            if let outcome = schedule.lastOutcome { object.string("lastOutcome", outcome) }
            if let run = schedule.lastRun {
                object.key("lastRun")
                TaskJSON.append(run, to: &object.bytes)
            }
            bytes = object.finish()
        }
        bytes += "]}".utf8
        return TaskHTTPResponse(status: 200, headers: TaskHTTPResponse.jsonHeaders, body: .json(bytes))
    }

    /// The most running tasks `GET /workers` reads.
    static let workerTaskLimit = 1_000

    /// `GET /workers`: the running tasks the caller sees, grouped by the worker that holds each
    /// one's lease, for callers the policy lets view settings.
    static func workers(_ input: TaskHTTPRouteRequest) async throws -> TaskHTTPResponse {
        let caller = try input.signedInCaller()
        try input.service.authorize(.viewSettings, as: caller)
        var running: [TaskRecord] = []
        var query = TaskQuery(
            statuses: [.running], sort: .createdAscending, pageSize: TaskQuery.maximumPageSize)
        while running.count < workerTaskLimit {
            let page = try await input.service.list(query, as: caller)
            running += page.items
            guard page.hasMore else { break }
            query.page += 1
        }
        let byWorker = Dictionary(grouping: running) { $0.leaseOwner ?? "" }
        var bytes = Array(#"{"items":["#.utf8)
        for (offset, worker) in byWorker.keys.sorted().enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            var object = JSONObjectWriter(appendingTo: &bytes)
            object.string("workerID", worker)
            object.key("tasks")
            object.bytes.append(UInt8(ascii: "["))
            for (index, task) in (byWorker[worker] ?? []).enumerated() {
                if index > 0 { object.bytes.append(UInt8(ascii: ",")) }
                TaskJSON.append(task, to: &object.bytes)
            }
            object.bytes.append(UInt8(ascii: "]"))
            bytes = object.finish()
        }
        bytes += #"],"running":"#.utf8
        JSONWriter.appendInteger(Int64(running.count), to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return TaskHTTPResponse(status: 200, headers: TaskHTTPResponse.jsonHeaders, body: .json(bytes))
    }

    /// `GET /stats?window=MINUTES` (1–1,440, default 60): ``TaskService/statistics(over:as:)``
    /// over the tasks the caller sees, for callers the policy lets view settings: the console's
    /// dashboard.
    static func stats(_ input: TaskHTTPRouteRequest) async throws -> TaskHTTPResponse {
        let caller = try input.signedInCaller()
        try input.service.authorize(.viewSettings, as: caller)
        let minutes = try integer("window", in: input.request) ?? 60
        guard (1...1_440).contains(minutes) else {
            throw TaskworksError.invalidQuery("window must be from 1 to 1440 minutes; got \(minutes)")
        }
        let statistics = try await input.service.statistics(over: .seconds(minutes * 60), as: caller)
        return .json(200, statistics.jsonValue)
    }
}
