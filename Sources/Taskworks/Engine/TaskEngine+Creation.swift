import Foundation

extension TaskEngine {
    /// Validates and inserts a new task for `creatorID` (already validated by the caller), then
    /// publishes `created` and wakes this process's pools. With a held unique key, nothing is
    /// inserted and the holder comes back as a duplicate.
    nonisolated(nonsending) func create(
        _ type: String, json: JSONValue?, options: TaskOptions, creatorID: String,
        onComplete: TaskCompletionHandler?
    ) async throws -> TaskCreation {
        let record = try newRecord(type, json: json, options: options, creatorID: creatorID, now: clock.now())
        return try await insertNew(record, onComplete: onComplete)
    }

    /// Inserts `record`, a new task already checked (made by ``newRecord(_:json:options:creatorID:now:)``
    /// or copied from a stored task), then publishes `created` and wakes this process's pools.
    /// With a held unique key, nothing is inserted and the holder comes back as a duplicate.
    nonisolated(nonsending) func insertNew(
        _ record: TaskRecord, onComplete: TaskCompletionHandler?
    ) async throws -> TaskCreation {
        let now = record.createdAt
        // Registered before the insert so a worker that finishes the task at once finds it.
        if let onComplete { addCallback(onComplete, for: record.id) }
        let stored: TaskRecord
        do {
            stored = try await store.insert(record)
        } catch {
            if onComplete != nil { _ = takeCallback(for: record.id) }
            throw error
        }
        guard stored.id == record.id else {
            if onComplete != nil { _ = takeCallback(for: record.id) }
            return TaskCreation(task: stored, isDuplicate: true)
        }
        events.publish(.created, stored)
        pools.wake(dueAt: stored.runAfter > now ? stored.runAfter : nil)
        return TaskCreation(task: stored, isDuplicate: false)
    }

    /// A new pending task of `type` for `creatorID` at `now`, with every option and the payload
    /// checked and the type's defaults filled in; nothing is stored.
    func newRecord(
        _ type: String, json: JSONValue?, options: TaskOptions, creatorID: String, now: Date
    ) throws -> TaskRecord {
        guard let entry = registry.entry(for: type) else {
            throw TaskworksError.unknownTaskType(type, known: registry.typeNames)
        }
        let priority = options.priority ?? entry.defaults.priority
        let maxRetries = options.maxRetries ?? entry.defaults.maxRetries
        let timeout = options.timeout ?? entry.defaults.timeout
        try TaskTypeDefaults.checkPriority(priority, context: "priority")
        try TaskTypeDefaults.checkRetries(maxRetries, context: "maxRetries")
        try TaskTypeDefaults.checkTimeout(timeout, context: "timeout")
        try options.checkScheduling(now: now)
        try json?.checkStorable("the payload for task type '\(type)'")
        do {
            try entry.factory.validatePayload(json)
        } catch let error as TaskworksError {
            throw error
        } catch {
            throw TaskworksError.invalidInput("the payload for task type '\(type)' was refused: \(error)")
        }
        let metadata = try newTaskMetadata(type, options: options)
        let runAfter = options.runAfter ?? options.delay.map { now.addingTimeInterval($0.timeInterval) }
        var record = TaskRecord(
            type: type, priority: priority, payload: json, createdBy: creatorID,
            maxRetries: maxRetries, timeout: timeout, runAfter: runAfter, uniqueKey: options.uniqueKey,
            metadata: metadata, createdAt: now)
        record.version = 1  // what the store gives a new task: it then keeps this copy as it is
        return record
    }

    /// The metadata a new task of `type` gets: the providers' entries, then the create call's own
    /// (which win), checked against ``TaskMetadata``'s limits.
    private func newTaskMetadata(_ type: String, options: TaskOptions) throws -> [String: String] {
        var metadata: [String: String] = [:]
        for provider in metadataProviders {
            metadata.merge(provider.metadata(forNewTaskOfType: type)) { _, later in later }
        }
        if let explicit = options.metadata {
            metadata.merge(explicit) { _, explicit in explicit }
        }
        if !metadata.isEmpty { try TaskMetadata.validate(metadata) }
        return metadata
    }
}
