import Foundation

/// The invariants, checked as the simulation goes: at each claim and write, and over the whole
/// store every 2,000 steps and at the end.
///
/// - An acknowledged create is never lost.
/// - No two attempts hold one claim: a claim's number is new for its task, and only the newest
///   claim's renewals and outcome are ever stored.
/// - `running` means a lease (an owner and an expiry); a paused task never starts.
/// - Terminal is final except by a retry.
/// - A non-admin's list holds only that creator's tasks.
/// - Progress never goes back within a claim.
/// - Liveness: once faults stop, every task that may run ends.
extension TaskworksSimulation {
    /// A claim the store just made: the task must have been pending, not paused, and no live
    /// attempt may hold the same claim.
    mutating func noteClaim(_ task: TaskRecord, by owner: String) {
        guard var model = tasks[task.id] else {
            violation("claimed a task nobody created: \(task.id)")
            return
        }
        if model.lastStatus == .paused { violation("task \(model.index) was claimed while paused") }
        if task.status != .running || task.leaseOwner != owner || task.leaseExpiresAt == nil {
            violation("task \(model.index) was claimed without a lease for \(owner)")
        }
        for process in processes {
            for attempt in process.attempts where attempt.task.id == task.id {
                // A stale attempt (its process stalled past the lease) may live on until its next
                // write is refused; it must never be the same claim.
                if process.owner == owner && attempt.attempt == task.attempts
                    && attempt.task.startedAt == task.startedAt
                {
                    violation(
                        "task \(model.index) was claimed by \(owner) as attempt \(task.attempts), "
                            + "a claim that a live attempt still holds")
                }
            }
        }
        model.latestClaim = (owner, task.attempts, task.startedAt)
        model.progress = 0
        model.lastStatus = .running
        tasks[task.id] = model
    }

    /// A renewal or outcome the store accepted from `attempt` of `owner`: only the newest claim
    /// may write, and progress never goes back.
    mutating func noteWrite(
        _ stored: TaskRecord, of attempt: SimulatedAttempt, by owner: String, what: String
    ) {
        guard var model = tasks[stored.id] else { return }
        if let latest = model.latestClaim,
            latest.owner != owner || latest.attempt != attempt.attempt
                || latest.startedAt != attempt.task.startedAt
        {
            violation(
                "task \(model.index): \(what) of \(owner)'s attempt \(attempt.attempt) was stored, but the "
                    + "newest claim is \(latest.owner)'s attempt \(latest.attempt) (started at another time)")
        }
        if stored.status == .running {
            if stored.progress < model.progress {
                violation(
                    "task \(model.index): progress went back from \(model.progress) to \(stored.progress)")
            }
            model.progress = stored.progress
        }
        observe(stored, into: &model)
        tasks[stored.id] = model
    }

    /// A status seen in the store or returned by a write.
    mutating func observe(_ stored: TaskRecord, into model: inout SimulatedTaskModel) {
        if model.lastStatus.isTerminal && !stored.status.isTerminal && !model.retriedSinceTerminal {
            violation(
                "task \(model.index) left \(model.lastStatus.rawValue) for \(stored.status.rawValue) without a retry"
            )
        }
        if stored.status.isTerminal { model.retriedSinceTerminal = false }
        if (stored.status == .failed || stored.status == .cancelled) && model.lastStatus != stored.status {
            recentlyEnded.append(stored.id)
            if recentlyEnded.count > 64 { recentlyEnded.removeFirst() }
        }
        model.lastStatus = stored.status
    }

    /// Every task in the store against what the simulation knows.
    mutating func checkStore() async {
        let stored: [TaskRecord]
        do {
            stored = try await processes[0].service.store.scanTasks(after: nil, limit: 1_000_000)
        } catch {
            violation("reading the store failed: \(error)")
            return
        }
        let byID = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in order {
            guard var model = tasks[id] else { continue }
            guard let task = byID[id] else {
                violation("task \(model.index) was acknowledged and is gone")
                continue
            }
            if task.status == .running && (task.leaseOwner == nil || task.leaseExpiresAt == nil) {
                violation("task \(model.index) is running without a lease")
            }
            observe(task, into: &model)
            tasks[id] = model
        }
        report.trace("check \(stored.count)")
    }

    /// A list as a random creator: only that creator's tasks.
    mutating func readAsACreator() async {
        let creator = Self.creators.randomElement(using: &random) ?? "alice"
        let process = processes[Int.random(in: 0..<processes.count, using: &random)]
        do {
            let page = try await process.service.list(TaskQuery(pageSize: 100), as: .user(creator))
            if let foreign = page.items.first(where: { $0.createdBy != creator }) {
                violation(
                    "\(creator)'s list holds \(foreign.createdBy)'s task \(tasks[foreign.id]?.index ?? -1)")
            }
            report.trace("read \(creator) \(page.total)")
        } catch {
            violation("a list failed: \(error)")
        }
    }

    /// Faults stop: no crash, no operator, time moves past every lease and delay, and every
    /// process runs its attempts and claims until nothing is pending or running.
    mutating func drainToTheEnd() async {
        for index in processes.indices { processes[index].isStalled = false }
        for _ in 0..<10_000 {
            clock.advance(by: 120)
            _ = try? await processes[0].service.rescueExpiredLeases(limit: 1_000)
            for index in processes.indices {
                await claim(in: index)
                while !processes[index].attempts.isEmpty { await finishFirstAttempt(in: index) }
            }
            let counts = try? await processes[0].service.counts(for: .system)
            if (counts?[.pending] ?? 0) + (counts?[.running] ?? 0) == 0 { break }
        }
        await checkStore()
        let counts = try? await processes[0].service.counts(for: .system)
        let left = (counts?[.pending] ?? 0) + (counts?[.running] ?? 0)
        if left > 0 {
            violation("liveness: \(left) task(s) still pending or running after the faults stopped")
        }
    }
}
