import Foundation

/// A store that records when each schedule last fired, so schedulers in every process sharing
/// it fire each tick once. ``TaskScheduler`` needs it.
public protocol TaskScheduleTickStore: TaskStore {
    /// Records that schedule `name` fired for `tick` — unless a tick at or after `tick` is
    /// already recorded for it — and says whether this call recorded it. Atomic across every
    /// handle and process, so of several schedulers firing the same tick exactly one gets `true`.
    /// Schedule state is not a task: no read, list, count, claim or retention ever sees it.
    func claimScheduleTick(_ name: String, tick: Date) async throws -> Bool

    /// The last tick recorded for schedule `name`, or `nil` when it never fired.
    func lastScheduleTick(_ name: String) async throws -> Date?
}

/// A store that keeps paused task types for every handle and process; its
/// ``TaskStore/claim(_:)`` hands out no task of a paused type.
public protocol TaskTypePauseStore: TaskStore {
    /// Pauses (`paused: true`) or resumes every task of `type`, for every handle and process:
    /// while a type is paused, ``TaskStore/claim(_:)`` hands out none of its tasks; they stay
    /// `pending`. Returns whether this call changed anything. Atomic like every other write.
    func setTaskType(_ type: String, paused: Bool) async throws -> Bool

    /// The task types paused now.
    func pausedTaskTypes() async throws -> Set<String>
}

/// A store that keeps the shared ``TaskSettings`` for every handle and process.
public protocol TaskSettingsStore: TaskStore {
    /// The shared settings as last saved by any handle or process, or the defaults when none
    /// were saved.
    func settings() async throws -> TaskSettings

    /// Saves shared settings (already validated) for every handle and process, durably like
    /// every other write.
    func saveSettings(_ settings: TaskSettings) async throws
}

/// A store that can tell pools when tasks may have become claimable through another process or
/// host, so idle pools claim at once instead of waiting for their next poll.
public protocol WorkAvailableNotifyingStore: TaskStore {
    /// Notifications that tasks may have become claimable elsewhere (a task created or put back
    /// to pending there). Each call returns a new stream for one pool; the stream ends when its
    /// consumer stops. `nil` when notifications are off for this handle: pools then rely on
    /// their poll interval for work from elsewhere (work made in this process always wakes them).
    func workAvailableNotifications() -> AsyncStream<Void>?
}

/// A hint a store declares: every call returns without waiting for I/O or another process (the
/// in-memory store). Pools then write outcomes inline in the worker loop and may run runners
/// inline too; a store that waits must not declare it.
public protocol ImmediateTaskStore: TaskStore {}
