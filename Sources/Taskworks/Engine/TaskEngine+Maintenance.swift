import Foundation

extension TaskEngine {
    /// Rescues up to `limit` running tasks whose lease expired; see
    /// ``TaskService/rescueExpiredLeases(limit:)``.
    func rescueExpiredLeases(limit: Int) async throws -> Int {
        let now = clock.now()
        var rescued = 0
        for expired in try await store.expiredLeases(at: now, limit: limit) {
            let (_, wrote) = try await mutateReportingWrite(expired.id, startingFrom: expired) { task in
                guard let next = TaskTransitions.rescue(task, now: now) else { return nil }
                return (next, next.status.isTerminal ? .finished : .requeued)
            }
            if wrote { rescued += 1 }
        }
        if rescued > 0 { pools.wake() }
        return rescued
    }

    /// Removes what `policy` no longer keeps; see ``TaskService/pruneTasks(_:maximumBatches:)``.
    func pruneTasks(_ policy: RetentionPolicy, maximumBatches: Int) async throws -> Int {
        try policy.validate()
        let now = clock.now()
        let criteria = RemovalCriteria(
            finishedBefore: now.addingTimeInterval(-policy.keepFinishedFor.timeInterval),
            finishedBeforeByType: policy.keepFinishedForByType.mapValues {
                now.addingTimeInterval(-$0.timeInterval)
            },
            deletedBefore: now.addingTimeInterval(-policy.keepDeletedFor.timeInterval))
        var removed = 0
        for _ in 0..<maximumBatches {
            let batch = try await readModel.removableTasks(criteria, limit: policy.batchSize)
            guard !batch.isEmpty else { break }
            let count = try await store.remove(batch)
            removed += count
            // Artifacts of tasks that stayed (changed meanwhile) are still referenced: keep them.
            var survivors = Set<TaskID>()
            if count < batch.count {
                for task in batch where try await store.task(id: task.id) != nil { survivors.insert(task.id) }
            }
            await discardArtifacts(
                batch.filter { !survivors.contains($0.id) }.compactMap { ownedKey($0.artifact) })
            if count == 0 { break }
        }
        return removed
    }

    /// Removes artifacts no stored task refers to any more (best effort: a failure is a
    /// `warning` diagnostic, and the file stays).
    func discardArtifacts(_ keys: [ArtifactKey]) async {
        guard let artifacts else { return }
        for key in keys {
            do {
                try await artifacts.delete(key)
            } catch {
                diagnostics.emit(
                    .warning, "could not remove an artifact no task refers to: \(error)",
                    metadata: ["component": "service", "artifact.key": key.rawValue])
            }
        }
    }

    /// The framework-made artifact key of `artifact`, if it has one.
    func ownedKey(_ artifact: TaskArtifact?) -> ArtifactKey? {
        artifact.flatMap { try? ArtifactKey(validating: $0.key) }
    }
}
