/// How long finished and deleted tasks are kept before a retention run removes them (and their
/// artifacts) for good. Off unless set:
///
/// ```swift
/// configuration.retention = RetentionPolicy(keepFinishedFor: .seconds(7 * 86_400))
/// ```
public struct RetentionPolicy: Sendable, Hashable {
    /// Finished tasks (succeeded, failed, cancelled) are removed this long after they finished.
    public var keepFinishedFor: Duration
    /// Per-type overrides of ``keepFinishedFor``.
    public var keepFinishedForByType: [String: Duration]
    /// Soft-deleted tasks are removed this long after deletion. Default one day.
    public var keepDeletedFor: Duration
    /// Tasks removed per store call; small batches keep each store call (and the claims waiting
    /// behind it) short. Default 100.
    public var batchSize: Int
    /// How often a worker pool runs retention. Default one minute.
    public var interval: Duration

    /// Makes a policy.
    public init(
        keepFinishedFor: Duration, keepFinishedForByType: [String: Duration] = [:],
        keepDeletedFor: Duration = .seconds(86_400), batchSize: Int = 100, interval: Duration = .seconds(60)
    ) {
        self.keepFinishedFor = keepFinishedFor
        self.keepFinishedForByType = keepFinishedForByType
        self.keepDeletedFor = keepDeletedFor
        self.batchSize = batchSize
        self.interval = interval
    }

    /// Checks the values.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` naming the bad field.
    func validate() throws {
        let durations =
            [
                ("keepFinishedFor", keepFinishedFor), ("keepDeletedFor", keepDeletedFor),
                ("interval", interval),
            ]
            + keepFinishedForByType.map { ("keepFinishedForByType[\($0.key)]", $0.value) }
        for (name, value) in durations where value < .zero {
            throw TaskworksError.invalidInput("retention \(name) must not be negative; got \(value)")
        }
        guard (1...10_000).contains(batchSize) else {
            throw TaskworksError.invalidInput(
                "retention batchSize must be between 1 and 10000; got \(batchSize)")
        }
    }
}
