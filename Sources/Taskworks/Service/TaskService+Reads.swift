import Foundation

extension TaskService {
    /// The task with this id, if `caller` may see it.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound`` when it does not exist, is deleted, or
    ///   belongs to another user.
    public func task(_ id: TaskID, as caller: Caller) async throws -> TaskRecord {
        let caller = try caller.validated()
        guard let task = try await store.task(id: id), caller.canSee(task) else {
            throw TaskworksError.taskNotFound(id)
        }
        return task
    }

    /// One page of the tasks `caller` may see that match `query`, plus the total count.
    /// For a user, `query.createdBy` is replaced by the user's own id.
    ///
    /// - Throws: ``TaskworksError/Code/invalidQuery`` for a page below 1, a page size outside
    ///   1–100, or inconsistent filters.
    public func list(_ query: TaskQuery, as caller: Caller) async throws -> TaskPage {
        let caller = try caller.validated()
        try query.validate()
        var query = query
        if !caller.seesEveryTask { query.createdBy = caller.creatorID }
        return try await engine.readModel.query(query)
    }

    /// Up to 10 (``Configuration/recentLimit``) of the caller's own tasks that were created in
    /// the last 24 hours or are still pending, paused or running, newest first.
    ///
    /// It is a personal view for everyone, admins included: an admin's recent tasks are the
    /// ones that admin id created (the system's, the ones ``Caller/system`` created), not
    /// everyone's — it answers "what did I start", as a header dropdown does. ``list(_:as:)`` and
    /// ``counts(for:)`` cover every task for an admin; for everyone's newest tasks, list with the
    /// default newest-first sort.
    public func recentTasks(for caller: Caller) async throws -> [TaskRecord] {
        let caller = try caller.validated()
        let since = clock.now().addingTimeInterval(-configuration.recentWindow.timeInterval)
        return try await engine.readModel.recentTasks(
            createdBy: caller.creatorID, createdSince: since, limit: configuration.recentLimit)
    }

    /// Task counts per status and per type over the tasks `caller` may see.
    public func counts(for caller: Caller) async throws -> TaskCounts {
        let caller = try caller.validated()
        return try await engine.readModel.counts(createdBy: caller.seesEveryTask ? nil : caller.creatorID)
    }

    /// The artifact of a task `caller` may see.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound`` as ``task(_:as:)``;
    ///   ``TaskworksError/Code/artifactNotFound`` when the task has no artifact.
    public func artifact(of id: TaskID, as caller: Caller) async throws -> TaskArtifact {
        let task = try await task(id, as: caller)
        guard let artifact = task.artifact else {
            throw TaskworksError(
                code: .artifactNotFound,
                message: "task \(id) has no artifact (it has not succeeded, or its runner attached none)",
                taskID: id)
        }
        return artifact
    }

    /// Opens the artifact of a task `caller` may see: its name, content type, size and bytes.
    ///
    /// ```swift
    /// let download = try await service.openArtifact(of: id, as: .user("alice"))
    /// for try await chunk in download.bytes { try output.write(contentsOf: chunk) }
    /// ```
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound`` as ``task(_:as:)``;
    ///   ``TaskworksError/Code/artifactNotFound`` when the task has no artifact in this service's
    ///   ``ArtifactStore``.
    public func openArtifact(of id: TaskID, as caller: Caller) async throws -> ArtifactDownload {
        let artifact = try await artifact(of: id, as: caller)
        guard let artifacts, let key = try? ArtifactKey(validating: artifact.key) else {
            throw TaskworksError(
                code: .artifactNotFound,
                message: "task \(id)'s artifact is not kept in this service's artifact store", taskID: id)
        }
        let size = try await artifacts.size(of: key)
        return ArtifactDownload(artifact: artifact, size: size, bytes: try await artifacts.read(key))
    }

    /// A stream of events about the tasks `caller` may see: created, started, progress,
    /// retries, finished, deleted. Any number of streams may be open; each keeps the newest
    /// `bufferSize` events when its consumer falls behind. End it by cancelling the task that
    /// iterates it.
    public func events(for caller: Caller, bufferSize: Int = 1024) throws -> AsyncStream<TaskEvent> {
        let caller = try caller.validated()
        return engine.events.subscribe(caller, bufferSize: max(1, bufferSize))
    }

    /// Returns once every completion callback started so far has returned.
    public func waitForCallbacks() async {
        await engine.callbacks.waitUntilIdle()
    }
}
