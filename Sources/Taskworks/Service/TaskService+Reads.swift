import Foundation

extension TaskService {
    /// The task with this id, if `caller` may see it.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound`` when it does not exist, is deleted, or
    ///   belongs to another user; ``TaskworksError/Code/permissionDenied`` when the policy does
    ///   not allow viewing it.
    public func task(_ id: TaskID, as caller: Caller) async throws -> TaskRecord {
        try await visibleTask(id, as: caller, for: .view)
    }

    /// The task with this id if `caller` sees it (else `taskNotFound`) and may do `operation`
    /// on it (else `permissionDenied`).
    func visibleTask(_ id: TaskID, as caller: Caller, for operation: TaskOperation) async throws -> TaskRecord
    {
        let caller = try caller.validated()
        guard let task = try await engine.storedTask(id), isVisible(task, to: caller) else {
            throw TaskworksError.taskNotFound(id)
        }
        try authorize(operation, as: caller, on: task)
        return task
    }

    /// One page of the tasks `caller` may see that match `query`, plus the total count.
    /// For a user, `query.createdBy` is replaced by the user's own id.
    ///
    /// - Throws: ``TaskworksError/Code/invalidQuery`` for a page below 1, a page size outside
    ///   1–100, or inconsistent filters; ``TaskworksError/Code/permissionDenied`` when the policy
    ///   does not allow listing.
    public func list(_ query: TaskQuery, as caller: Caller) async throws -> TaskPage {
        try authorize(.list, as: caller)
        try query.validate()
        var query = query
        if let creator = visibleCreator(for: caller) { query.createdBy = creator }
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
    ///
    /// - Throws: ``TaskworksError/Code/permissionDenied`` when the policy does not allow listing.
    public func recentTasks(for caller: Caller) async throws -> [TaskRecord] {
        try authorize(.list, as: caller)
        let since = clock.now().addingTimeInterval(-configuration.recentWindow.timeInterval)
        return try await engine.readModel.recentTasks(
            createdBy: caller.creatorID, createdSince: since, limit: configuration.recentLimit)
    }

    /// Task counts per status and per type over the tasks `caller` may see.
    ///
    /// - Throws: ``TaskworksError/Code/permissionDenied`` when the policy does not allow listing.
    public func counts(for caller: Caller) async throws -> TaskCounts {
        try authorize(.list, as: caller)
        return try await engine.readModel.counts(createdBy: visibleCreator(for: caller))
    }

    /// The artifact of a task `caller` may see.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound`` as ``task(_:as:)``;
    ///   ``TaskworksError/Code/permissionDenied`` when the policy does not allow downloading it;
    ///   ``TaskworksError/Code/artifactNotFound`` when the task has no artifact.
    public func artifact(of id: TaskID, as caller: Caller) async throws -> TaskArtifact {
        try TaskService.artifact(of: try await visibleTask(id, as: caller, for: .download))
    }

    static func artifact(of task: TaskRecord) throws -> TaskArtifact {
        let id = task.id
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
        try await open(try await artifact(of: id, as: caller), of: id)
    }

    /// Opens the artifact behind a signed link: the link was issued to a caller who could
    /// download it (``artifact(of:as:)``), so only the task's existence is checked here.
    package func openArtifactForSignedLink(of id: TaskID) async throws -> ArtifactDownload {
        guard let task = try await engine.storedTask(id), task.deletedAt == nil else {
            throw TaskworksError.taskNotFound(id)
        }
        return try await open(try TaskService.artifact(of: task), of: id)
    }

    private func open(_ artifact: TaskArtifact, of id: TaskID) async throws -> ArtifactDownload {
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
    ///
    /// - Throws: ``TaskworksError/Code/permissionDenied`` when the policy does not allow listing.
    public func events(for caller: Caller, bufferSize: Int = 1024) throws -> AsyncStream<TaskEvent> {
        try authorize(.list, as: caller)
        return engine.events.subscribe(creator: visibleCreator(for: caller), bufferSize: max(1, bufferSize))
    }

    /// Returns once every completion callback started so far has returned.
    public func waitForCallbacks() async {
        await engine.callbacks.waitUntilIdle()
    }
}
