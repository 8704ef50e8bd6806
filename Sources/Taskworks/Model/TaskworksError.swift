/// The one error type Taskworks throws. Each error has a ``code`` to compare with and a
/// ``message`` that says what happened and what to do about it.
///
/// ```swift
/// do {
///     _ = try await service.cancel(id, as: caller)
/// } catch let error as TaskworksError where error.code == .taskNotFound {
///     // answer 404
/// }
/// ```
public struct TaskworksError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. Compare it with the static members (`error.code ==
    /// .taskNotFound`); new codes are added as new static members, so code that handles today's
    /// codes keeps compiling when a release adds one (there is no exhaustive `switch` to break).
    public struct Code: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
        /// The code's stable name, as the HTTP API reports it: `taskNotFound`, `invalidInput`…
        public let name: String

        private init(_ name: String) { self.name = name }

        /// The code's ``name``.
        public var description: String { name }

        /// The code's ``name``, so a code prints plainly inside collections and logs too.
        public var debugDescription: String { name }

        /// No task with that id is visible to the caller (it does not exist, was deleted, or
        /// belongs to another user; these are deliberately indistinguishable).
        public static let taskNotFound = Code("taskNotFound")
        /// The task is visible to the caller but has no artifact.
        public static let artifactNotFound = Code("artifactNotFound")
        /// The task type name is not registered in this process's ``TaskRegistry``.
        public static let unknownTaskType = Code("unknownTaskType")
        /// A task type name is already registered.
        public static let duplicateTaskType = Code("duplicateTaskType")
        /// A store already holds a task with the id being inserted; nothing was written.
        public static let duplicateTaskID = Code("duplicateTaskID")
        /// The call needs a signed-in caller and none was given (an anonymous HTTP request to a
        /// route that needs one; the HTTP API answers 401).
        public static let unauthenticated = Code("unauthenticated")
        /// The caller may see what they asked about but may not do this (pausing a whole task
        /// type as a user, say).
        public static let permissionDenied = Code("permissionDenied")
        /// The requested change is not allowed from the task's current status.
        public static let invalidTransition = Code("invalidTransition")
        /// A value given by the caller is malformed or out of range.
        public static let invalidInput = Code("invalidInput")
        /// A list query has an out-of-range page or page size or a bad filter.
        public static let invalidQuery = Code("invalidQuery")
        /// The store kept changing under a compare-and-set loop; try again.
        public static let contention = Code("contention")
        /// The pool is already running; one `run()` at a time.
        public static let alreadyRunning = Code("alreadyRunning")
        /// The storage backend failed: I/O error, disk full, permissions, unreachable server.
        public static let storageFailure = Code("storageFailure")
        /// A store's files are not what the store wrote: a corrupt line, an unreadable snapshot,
        /// another format version, or a foreign file. Nothing was changed; see
        /// ``TaskworksError/path`` and ``TaskworksError/line``, and the store's documented
        /// recovery path.
        public static let corruptStore = Code("corruptStore")
        /// The store cannot do this: it does not declare the capability the call needs (a store
        /// that keeps no paused task types, say). Use a store that does; see ``TaskStore``.
        public static let unsupported = Code("unsupported")
    }

    /// What kind of failure this is.
    public let code: Code
    /// What happened and what to do, in one or two sentences.
    public let message: String
    /// The task involved, when there is one.
    public let taskID: TaskID?
    /// The file involved, when there is one.
    public let path: String?
    /// The 1-based line of ``path`` involved, when there is one.
    public let line: Int?

    /// Makes an error; prefer the static factories such as ``taskNotFound(_:)``.
    public init(code: Code, message: String, taskID: TaskID? = nil, path: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.taskID = taskID
        self.path = path
        self.line = line
    }

    /// `code: message`.
    public var description: String { "\(code.name): \(message)" }

    /// The task does not exist or the caller may not see it. The message is the same in both
    /// cases so callers cannot probe for other users' task ids.
    public static func taskNotFound(_ id: TaskID) -> TaskworksError {
        TaskworksError(
            code: .taskNotFound,
            message: "task \(id) was not found; check the id (tasks are visible only to their "
                + "creator and to admins, and deleted tasks are gone)",
            taskID: id)
    }

    /// A store already holds a task with this id (what ``TaskStore/insert(_:)`` throws).
    public static func duplicateTaskID(_ id: TaskID) -> TaskworksError {
        TaskworksError(
            code: .duplicateTaskID,
            message: "a task with id \(id) already exists; give the new task another id", taskID: id)
    }

    /// The task type is not registered.
    public static func unknownTaskType(_ name: String, known: [String]) -> TaskworksError {
        let list = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
        return TaskworksError(
            code: .unknownTaskType,
            message: "task type '\(name.prefix(100))' is not registered; register it with "
                + "TaskRegistry.register before creating tasks of it (registered: \(list))")
    }

    /// A change that the task's status does not allow.
    public static func invalidTransition(_ id: TaskID, _ message: String) -> TaskworksError {
        TaskworksError(code: .invalidTransition, message: message, taskID: id)
    }

    /// The caller may not do this; `action` says what, and the message who may.
    public static func permissionDenied(_ action: String, allowed: String) -> TaskworksError {
        TaskworksError(
            code: .permissionDenied, message: "\(action) is not allowed for this caller; \(allowed)")
    }

    /// No signed-in caller where one is needed.
    public static let unauthenticated = TaskworksError(
        code: .unauthenticated, message: "sign in first: this needs a caller")

    /// A malformed or out-of-range value.
    public static func invalidInput(_ message: String) -> TaskworksError {
        TaskworksError(code: .invalidInput, message: message)
    }

    /// A bad list query.
    public static func invalidQuery(_ message: String) -> TaskworksError {
        TaskworksError(code: .invalidQuery, message: message)
    }

    /// A storage failure, wrapping what the backend said.
    public static func storageFailure(_ message: String, path: String? = nil) -> TaskworksError {
        TaskworksError(code: .storageFailure, message: message, path: path)
    }

    /// A store file that is not what the store wrote.
    public static func corruptStore(_ message: String, path: String, line: Int? = nil) -> TaskworksError {
        TaskworksError(code: .corruptStore, message: message, path: path, line: line)
    }
}

extension TaskworksError {
    /// A call the store cannot serve because it does not conform to `capability`.
    static func unsupported(_ action: String, needs capability: String) -> TaskworksError {
        TaskworksError(
            code: .unsupported,
            message: "\(action) needs a store that conforms to \(capability), and this one does not; "
                + "use the memory, file or PostgreSQL store, or add the conformance to yours")
    }
}
