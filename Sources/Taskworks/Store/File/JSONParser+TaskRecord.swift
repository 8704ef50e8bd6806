import Foundation

/// Reading a task record, as ``TaskRecordJSON`` writes it.
extension JSONParser {
    mutating func date() throws -> Date {
        Date(timeIntervalSinceReferenceDate: try double())
    }

    /// A string holding a UUID, or `nil` when it holds something else. The common form (36
    /// characters, no escapes) is read in place without making a `String`.
    mutating func uuid() throws -> UUID? {
        skipSpace()
        let quote = UInt8(ascii: "\"")
        if position + 37 < bytes.count, bytes[position] == quote, bytes[position + 37] == quote {
            let text = UnsafeBufferPointer(rebasing: bytes[position + 1..<position + 37])
            if !text.contains(UInt8(ascii: "\\")), let uuid = TaskID.parseUUID(bytes: text) {
                position += 38
                return uuid
            }
        }
        return TaskID.parseUUID(try string().utf8)
    }

    /// Reads a settings object `{"maxConcurrentTasks": N}`; unknown keys and out-of-range values
    /// are errors.
    mutating func settings() throws -> TaskSettings {
        var settings = TaskSettings()
        var sawLimit = false
        try object { parser, key in
            guard key == "maxConcurrentTasks" else { throw parser.fail("unexpected settings key \(key)") }
            settings.maxConcurrentTasks = try parser.int()
            sawLimit = true
        }
        guard sawLimit, TaskSettings.maxConcurrentTasksRange.contains(settings.maxConcurrentTasks) else {
            throw fail("settings need maxConcurrentTasks in \(TaskSettings.maxConcurrentTasksRange)")
        }
        return settings
    }

    mutating func int() throws -> Int {
        guard let value = Int(exactly: try integer()) else { throw fail("integer out of range") }
        return value
    }

    mutating func record() throws -> TaskRecord {
        var id: TaskID?
        var type: String?
        var status: TaskStatus?
        var priority: Int?
        var payload: JSONValue?
        var result: JSONValue?
        var errorMessage: String?
        var progress: Int?
        var createdBy: String?
        var artifact: TaskArtifact?
        var attempts: Int?
        var maxRetries: Int?
        var manualRetries: Int?
        var timeout: Int64?
        var runAfter: Date?
        var createdAt: Date?
        var startedAt: Date?
        var finishedAt: Date?
        var updatedAt: Date?
        var deletedAt: Date?
        var cancelRequested: Bool?
        var leaseOwner: String?
        var leaseExpiresAt: Date?
        var version: Int64?
        var uniqueKey: String?
        var metadata: [String: String] = [:]
        try object { parser, key in
            switch key {
            case "id":
                guard let uuid = try parser.uuid() else {
                    throw parser.fail("bad id")
                }
                id = TaskID(uuid: uuid)
            case "type": type = try parser.string()
            case "status": status = TaskStatus(rawValue: try parser.string())
            case "priority": priority = try parser.int()
            case "payload": payload = try parser.value()
            case "result": result = try parser.value()
            case "errorMessage": errorMessage = try parser.string()
            case "progress": progress = try parser.int()
            case "createdBy": createdBy = try parser.string()
            case "artifact":
                var key: String?
                var fileName: String?
                var contentType = "application/octet-stream"
                try parser.object { parser, name in
                    switch name {
                    case "key": key = try parser.string()
                    case "fileName": fileName = try parser.string()
                    case "contentType": contentType = try parser.string()
                    default: throw parser.fail("unexpected artifact key")
                    }
                }
                guard let key, let fileName else { throw parser.fail("incomplete artifact") }
                artifact = try TaskArtifact(key: key, fileName: fileName, contentType: contentType)
            case "attempts": attempts = try parser.int()
            case "maxRetries": maxRetries = try parser.int()
            case "manualRetries": manualRetries = try parser.int()
            case "timeoutMilliseconds": timeout = try parser.integer()
            case "runAfter": runAfter = try parser.date()
            case "createdAt": createdAt = try parser.date()
            case "startedAt": startedAt = try parser.date()
            case "finishedAt": finishedAt = try parser.date()
            case "updatedAt": updatedAt = try parser.date()
            case "deletedAt": deletedAt = try parser.date()
            case "cancelRequested": cancelRequested = try parser.bool()
            case "leaseOwner": leaseOwner = try parser.string()
            case "leaseExpiresAt": leaseExpiresAt = try parser.date()
            case "version": version = try parser.integer()
            case "uniqueKey": uniqueKey = try parser.string()
            case "metadata":
                try parser.object { parser, name in metadata[name] = try parser.string() }
            default: throw parser.fail("unexpected key \(key)")
            }
        }
        guard let id, let type, let status, let priority, let progress, let createdBy, let attempts,
            let maxRetries, let manualRetries, let runAfter, let createdAt, let updatedAt,
            let cancelRequested, let version
        else { throw fail("a required task field is missing") }
        var record = TaskRecord(
            id: id, type: type, priority: priority, payload: payload, createdBy: createdBy,
            maxRetries: maxRetries, runAfter: runAfter, createdAt: createdAt)
        record.status = status
        record.result = result
        record.errorMessage = errorMessage
        record.progress = progress
        record.artifact = artifact
        record.attempts = attempts
        record.manualRetries = manualRetries
        record.timeoutMilliseconds = timeout
        record.startedAt = startedAt
        record.finishedAt = finishedAt
        record.updatedAt = updatedAt
        record.deletedAt = deletedAt
        record.cancelRequested = cancelRequested
        record.leaseOwner = leaseOwner
        record.leaseExpiresAt = leaseExpiresAt
        record.version = UInt64(bitPattern: version)
        record.uniqueKey = uniqueKey
        record.metadata = metadata
        return record
    }
}
