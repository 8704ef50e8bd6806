import Foundation

/// Creates the runs of recurring tasks. Run one per process next to (or without) a
/// ``WorkerPool``; any number of processes sharing a store may run the same schedules.
///
/// Guarantees:
/// - **No overlap**: a tick is skipped (and reported as ``Outcome/skipped(schedule:tick:running:)``)
///   while the previous run of that schedule is pending or running.
/// - **No burst after downtime**: a scheduler that was down or asleep for many ticks fires once,
///   for the latest tick that passed, not once per missed tick.
/// - **Once per tick across processes**: each tick is claimed in the store
///   (``TaskScheduleTickStore/claimScheduleTick(_:tick:)``, schedule state kept apart from tasks), so of
///   several processes with the same schedules exactly one creates each tick's task.
/// - **Run now**: ``runNow(_:)`` creates a run on demand (still never overlapping).
///
/// ```swift
/// let scheduler = TaskScheduler(service: service)
/// try scheduler.add(TaskSchedule(name: "refresh-cache", taskType: "refresh_cache",
///                                trigger: .interval(.seconds(300), runAtStart: true)))
/// let scheduling = Task { try await scheduler.run() }
/// ```
public final class TaskScheduler: Sendable {
    /// What happened to one schedule at one tick.
    public enum Outcome: Sendable, Hashable {
        /// A run was created.
        case fired(schedule: String, tick: Date, task: TaskRecord)
        /// The previous run is still pending or running, so this tick created nothing.
        case skipped(schedule: String, tick: Date, running: TaskRecord)
    }

    /// The service runs are created through (as ``Caller/system``).
    public let service: TaskService
    /// The engine under ``service``: runs are created through it, as the system.
    let engine: TaskEngine
    let schedules = LockedState<[String: TaskSchedule]>([:])
    /// When each schedule fires next, as this process sees it.
    let nextDue = LockedState<[String: Date]>([:])
    /// Each schedule's latest outcome in this process.
    let lastOutcomes = LockedState<[String: Outcome]>([:])
    private let started = LockedState(false)
    private let wake = WakeUpCall()
    private let onOutcome: @Sendable (Outcome) -> Void

    /// Makes a scheduler; `onOutcome` hears every fired and skipped tick (default: a skip is a
    /// `notice` diagnostic to the service's ``TaskService/Configuration/diagnostics``).
    public init(service: TaskService, onOutcome: (@Sendable (Outcome) -> Void)? = nil) {
        self.service = service
        self.engine = service.engine
        let diagnostics = service.engine.diagnostics
        self.onOutcome =
            onOutcome ?? { outcome in
                if case .skipped(let name, let tick, let running) = outcome {
                    diagnostics.emit(
                        .notice,
                        "skipped the \(InternetDateText.string(tick)) tick: the previous run is still "
                            + running.status.rawValue,
                        metadata: [
                            "component": "scheduler", "schedule": name, "task.id": running.id.description,
                        ])
                }
            }
    }

    /// Adds a schedule (while running too).
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the name is taken;
    ///   ``TaskworksError/Code/unknownTaskType`` when its task type is not registered.
    public func add(_ schedule: TaskSchedule) throws {
        guard engine.registry.contains(schedule.taskType) else {
            throw TaskworksError.unknownTaskType(schedule.taskType, known: engine.registry.typeNames)
        }
        try schedules.withLock { schedules in
            guard schedules[schedule.name] == nil else {
                throw TaskworksError.invalidInput("a schedule named '\(schedule.name)' is already added")
            }
            schedules[schedule.name] = schedule
        }
        if started.withLock({ $0 }) { planFirstTick(schedule, now: engine.clock.now()) }
        wake.notify()
    }

    /// The names of the added schedules, sorted.
    public var scheduleNames: [String] { schedules.withLock { $0.keys.sorted() } }

    /// Fires every schedule that is due at the service clock's current time, once, and returns
    /// what happened. ``run()`` calls this; tests call it with an injected clock.
    @discardableResult
    public func tick() async throws -> [Outcome] {
        let now = engine.clock.now()
        if !started.withLock({ state in
            defer { state = true }
            return state
        }) {
            for schedule in schedules.withLock({ Array($0.values) }) { planFirstTick(schedule, now: now) }
        }
        var outcomes: [Outcome] = []
        for schedule in schedules.withLock({ $0.values.sorted { $0.name < $1.name } }) {
            guard let due = nextDue.withLock({ $0[schedule.name] }), due <= now else { continue }
            // No burst: however many ticks passed, fire once, for the latest one.
            var tick = due
            var steps = 0
            while let next = schedule.nextTick(after: tick), next <= now, steps < 1_000_000 {
                tick = next
                steps += 1
            }
            nextDue.withLock { $0[schedule.name] = schedule.nextTick(after: now) }
            if let outcome = try await fire(schedule, tick: tick) { outcomes.append(outcome) }
        }
        return outcomes
    }

    /// Creates a run of `name` now, whatever its timing; returns `.skipped` when the previous run
    /// is still pending or running.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when no schedule has that name.
    @discardableResult
    public func runNow(_ name: String) async throws -> Outcome {
        guard let schedule = schedules.withLock({ $0[name] }) else {
            throw TaskworksError.invalidInput(
                "no schedule is named '\(name.prefix(100))'; added: \(scheduleNames.joined(separator: ", "))")
        }
        let outcome = try await create(schedule, tick: engine.clock.now())
        record(outcome, of: name)
        return outcome
    }

    /// Fires due schedules until the calling task is cancelled, sleeping on the service's clock
    /// until the next tick.
    ///
    /// A scheduler has nothing to drain, so its graceful shutdown and its hard stop are the same:
    /// cancelling the task running `run()` (which `TaskSchedulerService` does at graceful
    /// shutdown) ends it at once, before its next tick; a run it was creating at that moment is
    /// either stored, and then is a task like any other, or not created.
    ///
    /// - Throws: ``TaskworksError/Code/unsupported`` at once when the store records no schedule
    ///   ticks (``TaskScheduleTickStore``); what the store throws.
    public func run() async throws {
        _ = try engine.scheduleTickStore()
        while !Task.isCancelled {
            try await tick()
            let now = engine.clock.now()
            let next = nextDue.withLock { $0.values.min() }
            let wait = next.map { max(0.001, $0.timeIntervalSince(now)) } ?? 60
            await wake.wait(timeout: .milliseconds(Int64(min(wait, 60) * 1000)), on: engine.clock)
        }
    }

    private func planFirstTick(_ schedule: TaskSchedule, now: Date) {
        var first = schedule.nextTick(after: now)
        if case .interval(let seconds, true) = schedule.timing {
            // Run at start: the latest aligned tick, claimed like any other, so it fires unless
            // some process already ran that tick.
            first = Date(
                timeIntervalSince1970: (now.timeIntervalSince1970 / seconds).rounded(.down) * seconds)
        }
        nextDue.withLock { $0[schedule.name] = first }
    }

    /// Claims `tick` for `schedule` (once across every process), then creates the run.
    private func fire(_ schedule: TaskSchedule, tick: Date) async throws -> Outcome? {
        guard try await claim(tick, of: schedule) else { return nil }
        let outcome = try await create(schedule, tick: tick)
        record(outcome, of: schedule.name)
        return outcome
    }

    private func record(_ outcome: Outcome, of name: String) {
        lastOutcomes.withLock { $0[name] = outcome }
        onOutcome(outcome)
    }

    private func create(_ schedule: TaskSchedule, tick: Date) async throws -> Outcome {
        var options = schedule.options
        options.uniqueKey = schedule.uniqueKey
        let creation = try await engine.create(
            schedule.taskType, json: schedule.payload, options: options, creatorID: Caller.systemCreatorID,
            onComplete: nil)
        return creation.isDuplicate
            ? .skipped(schedule: schedule.name, tick: tick, running: creation.task)
            : .fired(schedule: schedule.name, tick: tick, task: creation.task)
    }

    /// Records `tick` as `schedule`'s last in the store: `true` when this call moved it forward,
    /// `false` when a process already fired this tick (or a later one).
    private func claim(_ tick: Date, of schedule: TaskSchedule) async throws -> Bool {
        try await engine.claimScheduleTick(schedule.name, tick: tick)
    }
}
