import Foundation

/// A request to claim tasks for a worker. See ``TaskStore/claim(_:)``.
public struct TaskClaimRequest: Sendable, Hashable {
    /// The worker taking the lease.
    public var owner: String
    /// The current time; tasks with a later `runAfter` are not eligible.
    public var now: Date
    /// How long the lease lasts before the worker must renew it.
    public var leaseDuration: Duration
    /// Only these types, or any type when `nil`.
    public var types: Set<String>?
    /// The most tasks to claim.
    public var limit: Int

    /// Makes a claim request.
    public init(
        owner: String, now: Date, leaseDuration: Duration, types: Set<String>? = nil, limit: Int = 1
    ) {
        self.owner = owner
        self.now = now
        self.leaseDuration = leaseDuration
        self.types = types
        self.limit = limit
    }

    /// When the leases this claim hands out expire: `now + leaseDuration`.
    public var leaseExpiry: Date { now.addingTimeInterval(leaseDuration.timeInterval) }

    /// Applies the claim to one eligible task: what every store stores for it.
    public func claimed(_ task: TaskRecord) -> TaskRecord {
        var claimed = task
        let expiry = leaseExpiry
        claimed.withFields { apply(to: &$0, leaseExpiry: expiry) }
        return claimed
    }

    /// The claim's changes, made in place; `leaseExpiry` is ``leaseExpiry``, which a store
    /// claiming a batch works out once (turning the lease's `Duration` into seconds is slow
    /// enough to show per task).
    func apply(to fields: inout TaskRecordFields, leaseExpiry: Date) {
        fields.status = .running
        fields.leaseOwner = owner
        fields.leaseExpiresAt = leaseExpiry
        // Saturating: a count read from a damaged file must not trap.
        fields.attempts = fields.attempts < Int.max ? fields.attempts + 1 : Int.max
        fields.startedAt = now
        fields.updatedAt = now
        fields.version = fields.version < UInt64.max ? fields.version + 1 : UInt64.max
    }
}
