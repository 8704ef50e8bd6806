import Foundation

/// The response bodies, built as ``JSONValue`` and written by Taskworks' one JSON writer.
extension TaskHTTPAPI {
    static func taskJSON(_ task: TaskRecord) -> JSONValue {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var json: [String: JSONValue] = [
            "id": .string(task.id.description), "type": .string(task.type),
            "status": .string(task.status.rawValue), "priority": .integer(Int64(task.priority)),
            "progress": .integer(Int64(task.progress)), "createdBy": .string(task.createdBy),
            "attempts": .integer(Int64(task.attempts)), "maxRetries": .integer(Int64(task.maxRetries)),
            "cancelRequested": .bool(task.cancelRequested),
            "createdAt": .string(iso.string(from: task.createdAt)),
            "updatedAt": .string(iso.string(from: task.updatedAt)),
            "runAfter": .string(iso.string(from: task.runAfter)),
        ]
        if let payload = task.payload { json["payload"] = payload }
        if let result = task.result { json["result"] = result }
        if let message = task.errorMessage { json["errorMessage"] = .string(message) }
        if let artifact = task.artifact {
            json["artifact"] = .object([
                "fileName": .string(artifact.fileName), "contentType": .string(artifact.contentType),
            ])
        }
        if let date = task.startedAt { json["startedAt"] = .string(iso.string(from: date)) }
        if let date = task.finishedAt { json["finishedAt"] = .string(iso.string(from: date)) }
        return .object(json)
    }

    static func pageJSON(_ page: TaskPage) -> JSONValue {
        .object([
            "items": .array(page.items.map(taskJSON)), "total": .integer(Int64(page.total)),
            "page": .integer(Int64(page.page)), "pageSize": .integer(Int64(page.pageSize)),
            "hasMore": .bool(page.hasMore),
        ])
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

    static func json(_ status: Int, _ value: JSONValue) -> TaskHTTPResponse {
        var bytes: [UInt8] = []
        JSONWriter.appendValue(value, to: &bytes)
        return TaskHTTPResponse(
            status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: .json(bytes))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> TaskHTTPResponse {
        json(status, .object(["error": .object(["code": .string(code), "message": .string(message)])]))
    }
}
