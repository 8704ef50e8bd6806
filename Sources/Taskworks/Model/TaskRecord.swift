import Foundation

/// Everything stored about one task. A plain value: reading it never touches the store, and a
/// changed copy is written back only through the store's compare-and-set ``TaskStore/update(_:expectedVersion:)``.
///
/// The fields the framework owns (status, lease, version, timestamps) are changed by
/// ``TaskService`` and ``WorkerPool``; host code reads them.
public struct TaskRecord: Sendable, Codable, Hashable, Identifiable {
    /// The fields, shared with copies of this record until one of them changes.
    private var storage: TaskRecordStorage

    /// The task's id.
    public package(set) var id: TaskID {
        get { storage.read { $0.id } }
        set { storage.write { $0.id = newValue } }
    }
    /// The registered task type name that runs it, e.g. `user_export`.
    public package(set) var type: String {
        get { storage.read { $0.type } }
        set { storage.write { $0.type = newValue } }
    }
    /// Where the task is in its life.
    public package(set) var status: TaskStatus {
        get { storage.read { $0.status } }
        set { storage.write { $0.status = newValue } }
    }
    /// 1 (lowest) to 10 (highest); higher-priority tasks are claimed first. Default 5.
    public package(set) var priority: Int {
        get { storage.read { $0.priority } }
        set { storage.write { $0.priority = newValue } }
    }
    /// The input given at create, as JSON, or `nil` when none was given.
    public package(set) var payload: JSONValue? {
        get { storage.read { $0.payload } }
        set { storage.write { $0.payload = newValue } }
    }
    /// What the runner returned, as JSON, once it succeeded.
    public package(set) var result: JSONValue? {
        get { storage.read { $0.result } }
        set { storage.write { $0.result = newValue } }
    }
    /// Why the last attempt failed (kept while a retry waits, so users can see it).
    public package(set) var errorMessage: String? {
        get { storage.read { $0.errorMessage } }
        set { storage.write { $0.errorMessage = newValue } }
    }
    /// 0 to 100; never moves backwards within an attempt, and is 100 once succeeded.
    public package(set) var progress: Int {
        get { storage.read { $0.progress } }
        set { storage.write { $0.progress = newValue } }
    }
    /// Who created the task: a user or admin id, or `"system"`.
    public package(set) var createdBy: String {
        get { storage.read { $0.createdBy } }
        set { storage.write { $0.createdBy = newValue } }
    }
    /// The file the runner attached, if any.
    public package(set) var artifact: TaskArtifact? {
        get { storage.read { $0.artifact } }
        set { storage.write { $0.artifact = newValue } }
    }
    /// How many times a worker has started this task since it was created or last retried by a
    /// caller.
    public package(set) var attempts: Int {
        get { storage.read { $0.attempts } }
        set { storage.write { $0.attempts = newValue } }
    }
    /// How many automatic retries a failing attempt gets (0 means one attempt only).
    public package(set) var maxRetries: Int {
        get { storage.read { $0.maxRetries } }
        set { storage.write { $0.maxRetries = newValue } }
    }
    /// How many times a caller retried the task by hand (``TaskService/retry(_:as:)``).
    public package(set) var manualRetries: Int {
        get { storage.read { $0.manualRetries } }
        set { storage.write { $0.manualRetries = newValue } }
    }
    /// The longest one attempt may run, in milliseconds; `nil` means no limit.
    public package(set) var timeoutMilliseconds: Int64? {
        get { storage.read { $0.timeoutMilliseconds } }
        set { storage.write { $0.timeoutMilliseconds = newValue } }
    }
    /// The task is not claimed before this date (delays and retry backoff set it).
    public package(set) var runAfter: Date {
        get { storage.read { $0.runAfter } }
        set { storage.write { $0.runAfter = newValue } }
    }
    /// When the task was created.
    public package(set) var createdAt: Date {
        get { storage.read { $0.createdAt } }
        set { storage.write { $0.createdAt = newValue } }
    }
    /// When the current or last attempt started.
    public package(set) var startedAt: Date? {
        get { storage.read { $0.startedAt } }
        set { storage.write { $0.startedAt = newValue } }
    }
    /// When the task reached a terminal state.
    public package(set) var finishedAt: Date? {
        get { storage.read { $0.finishedAt } }
        set { storage.write { $0.finishedAt = newValue } }
    }
    /// When anything about the task last changed.
    public package(set) var updatedAt: Date {
        get { storage.read { $0.updatedAt } }
        set { storage.write { $0.updatedAt = newValue } }
    }
    /// When a caller deleted the task; deleted tasks are hidden from every read.
    public package(set) var deletedAt: Date? {
        get { storage.read { $0.deletedAt } }
        set { storage.write { $0.deletedAt = newValue } }
    }
    /// A caller asked to cancel the running task; its runner is being stopped.
    public package(set) var cancelRequested: Bool {
        get { storage.read { $0.cancelRequested } }
        set { storage.write { $0.cancelRequested = newValue } }
    }
    /// The worker that holds the task while it runs.
    public package(set) var leaseOwner: String? {
        get { storage.read { $0.leaseOwner } }
        set { storage.write { $0.leaseOwner = newValue } }
    }
    /// When the lease runs out unless renewed; an expired lease means the worker is gone.
    public package(set) var leaseExpiresAt: Date? {
        get { storage.read { $0.leaseExpiresAt } }
        set { storage.write { $0.leaseExpiresAt = newValue } }
    }
    /// Increases by one on every stored change; used for compare-and-set.
    public package(set) var version: UInt64 {
        get { storage.read { $0.version } }
        set { storage.write { $0.version = newValue } }
    }
    /// At most one pending or running task holds a given unique key.
    public package(set) var uniqueKey: String? {
        get { storage.read { $0.uniqueKey } }
        set { storage.write { $0.uniqueKey = newValue } }
    }

    /// Strings set at create (see ``TaskMetadata`` for the rules), e.g. a tenant or the
    /// creator's trace context; empty when none were given.
    public package(set) var metadata: [String: String] {
        get { storage.read { $0.metadata } ?? [:] }
        set { storage.write { $0.metadata = newValue.isEmpty ? nil : newValue } }
    }

    /// Changes several fields at once: one check (and at most one copy) of the shared storage
    /// instead of one per field.
    mutating func withFields(_ body: (inout TaskRecordFields) -> Void) {
        storage.write(body)
    }

    /// Reads several fields at once, without copying them.
    func readFields<Value>(_ body: (borrowing TaskRecordFields) -> Value) -> Value {
        storage.read(body)
    }

    /// Two records are equal when every field is.
    public static func == (lhs: TaskRecord, rhs: TaskRecord) -> Bool {
        lhs.storage.isShared(with: rhs.storage) || lhs.storage.fields == rhs.storage.fields
    }

    /// Hashes every field.
    public func hash(into hasher: inout Hasher) {
        storage.fields.hash(into: &hasher)
    }

    /// Decodes every field, under the field names.
    public init(from decoder: any Decoder) throws {
        storage = TaskRecordStorage(try TaskRecordFields(from: decoder))
    }

    /// Encodes every field under its name (an absent optional is left out).
    public func encode(to encoder: any Encoder) throws {
        try storage.fields.encode(to: encoder)
    }

    /// The per-attempt time limit, if any.
    public var timeout: Duration? {
        timeoutMilliseconds.map { .milliseconds($0) }
    }

    /// Makes a new pending task. ``TaskService/create(_:payload:options:createdBy:onComplete:)``
    /// is the way host code creates tasks; stores and tests use this initializer directly.
    public init(
        id: TaskID = TaskID(),
        type: String,
        priority: Int = TaskTypeDefaults.standardPriority,
        payload: JSONValue? = nil,
        createdBy: String,
        maxRetries: Int = TaskTypeDefaults.standardMaxRetries,
        timeout: Duration? = nil,
        runAfter: Date? = nil,
        uniqueKey: String? = nil,
        metadata: [String: String] = [:],
        createdAt: Date
    ) {
        storage = TaskRecordStorage(
            TaskRecordFields(
                id: id,
                type: type,
                status: .pending,
                priority: priority,
                payload: payload,
                result: nil,
                errorMessage: nil,
                progress: 0,
                createdBy: createdBy,
                artifact: nil,
                attempts: 0,
                maxRetries: maxRetries,
                manualRetries: 0,
                timeoutMilliseconds: timeout.map(\.wholeMilliseconds),
                runAfter: runAfter ?? createdAt,
                createdAt: createdAt,
                startedAt: nil,
                finishedAt: nil,
                updatedAt: createdAt,
                deletedAt: nil,
                cancelRequested: false,
                leaseOwner: nil,
                leaseExpiresAt: nil,
                version: 0,
                uniqueKey: uniqueKey,
                metadata: metadata.isEmpty ? nil : metadata))
    }

    /// This record as a store keeps it as version `version`: version 1 on insert, the expected
    /// version + 1 on a compare-and-set update. Nothing else changes.
    public func stored(asVersion version: UInt64) -> TaskRecord {
        guard self.version != version else { return self }
        var stored = self
        stored.version = version
        return stored
    }

    /// Decodes this task's payload as `T`.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when there is no payload or it does not
    ///   match `T`.
    public func decodePayload<T: Decodable>(as type: T.Type = T.self) throws -> T {
        guard let payload else {
            throw TaskworksError.invalidInput(
                "task \(id) of type '\(self.type)' has no payload; expected \(T.self)")
        }
        return try payload.decode(T.self)
    }
}

extension Duration {
    /// The duration rounded down to whole milliseconds, saturating at the `Int64` range.
    var wholeMilliseconds: Int64 {
        let parts = components
        let (milliseconds, overflow) = parts.seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return parts.seconds < 0 ? .min : .max }
        let (total, overflowAdding) = milliseconds.addingReportingOverflow(
            parts.attoseconds / 1_000_000_000_000_000)
        return overflowAdding ? (milliseconds < 0 ? .min : .max) : total
    }

    /// The duration in seconds, as a `TimeInterval`.
    package var timeInterval: TimeInterval {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
