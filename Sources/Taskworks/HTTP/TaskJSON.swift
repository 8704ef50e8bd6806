import Foundation

/// A task as the HTTP API shows it (the OpenAPI `Task` schema), written member by member into
/// the response buffer in a fixed order, with dates as RFC 3339 text: no intermediate
/// ``JSONValue``, no formatter, no key sorting.
package enum TaskJSON {
    package static func append(_ task: TaskRecord, to bytes: inout [UInt8]) {
        var object = JSONObjectWriter(appendingTo: &bytes)
        // The fields are read in place: passed on borrowed, never captured, so never copied.
        task.readFields { fields in appendMembers(of: fields, to: &object) }
        bytes = object.finish()
    }

    private static func appendMembers(
        of fields: borrowing TaskRecordFields, to object: inout JSONObjectWriter
    ) {
        object.key("id")
        fields.id.appendText(quoted: true, to: &object.bytes)
        object.string("type", fields.type)
        object.string("status", fields.status.rawValue)
        object.integer("priority", Int64(fields.priority))
        object.integer("progress", Int64(fields.progress))
        object.string("createdBy", fields.createdBy)
        object.integer("attempts", Int64(fields.attempts))
        object.integer("maxRetries", Int64(fields.maxRetries))
        object.bool("cancelRequested", fields.cancelRequested)
        internetDate("createdAt", fields.createdAt, into: &object)
        internetDate("updatedAt", fields.updatedAt, into: &object)
        internetDate("runAfter", fields.runAfter, into: &object)
        if let date = fields.startedAt { internetDate("startedAt", date, into: &object) }
        if let date = fields.finishedAt { internetDate("finishedAt", date, into: &object) }
        if let payload = fields.payload { object.value("payload", payload) }
        if let result = fields.result { object.value("result", result) }
        if let message = fields.errorMessage { object.string("errorMessage", message) }
        if let metadata = fields.metadata, !metadata.isEmpty {
            object.value("metadata", .object(metadata.mapValues { .string($0) }))
        }
        if let artifact = fields.artifact {
            object.key("artifact")
            JSONObjectWriter.append(to: &object.bytes) { inner in
                inner.string("fileName", artifact.fileName)
                inner.string("contentType", artifact.contentType)
            }
        }
    }

    private static func internetDate(_ name: StaticString, _ date: Date, into object: inout JSONObjectWriter)
    {
        object.key(name)
        InternetDateText.append(date, quoted: true, to: &object.bytes)
    }
}
