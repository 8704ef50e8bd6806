import Foundation

/// The runners and the operator of a simulation: an attempt moves a step (a renewal with its
/// progress) or ends (its outcome stored through the engine), and an admin cancels, pauses,
/// resumes, retries or deletes.
extension TaskworksSimulation {
    mutating func advanceAnAttempt() async {
        let busy = processes.indices.filter { !processes[$0].attempts.isEmpty && !processes[$0].isStalled }
        guard let index = busy.randomElement(using: &random) else { return }
        let which = Int.random(in: 0..<processes[index].attempts.count, using: &random)
        if processes[index].attempts[which].stepsLeft > 0 {
            await renew(which, in: index)
        } else {
            let attempt = processes[index].attempts.remove(at: which)
            await finish(attempt, in: index)
        }
    }

    mutating func finishFirstAttempt(in index: Int) async {
        let attempt = processes[index].attempts.removeFirst()
        await finish(attempt, in: index)
    }

    private mutating func renew(_ which: Int, in index: Int) async {
        var attempt = processes[index].attempts[which]
        let owner = processes[index].owner
        attempt.stepsLeft -= 1
        attempt.progress = min(100, attempt.progress + Int.random(in: 0...40, using: &random))
        let now = clock.now()
        let lease = configuration.leaseDuration
        let progress = attempt.progress
        do {
            let (stored, wrote) = try await processes[index].engine.mutateReportingWrite(
                attempt.task.id, startingFrom: attempt.task
            ) { current in
                TaskTransitions.renew(
                    current, owner: owner, attempt: attempt.attempt, startedAt: attempt.task.startedAt,
                    progress: progress, now: now, leaseDuration: lease
                ).map { ($0, .progress) }
            }
            report.trace("renew \(tasks[attempt.task.id]?.index ?? -1) \(owner) \(wrote)")
            guard wrote else {
                // The lease is lost: the runner is stopped, as the pool's supervisor stops it.
                report.refusedWrites += 1
                processes[index].attempts.remove(at: which)
                return
            }
            noteWrite(stored, of: attempt, by: owner, what: "a renewal")
            attempt.task = stored
            processes[index].attempts[which] = attempt
        } catch {
            violation("a renewal failed: \(error)")
        }
    }

    private mutating func finish(_ attempt: SimulatedAttempt, in index: Int) async {
        let owner = processes[index].owner
        let outcome: TaskTransitions.AttemptOutcome =
            switch attempt.ending {
            case .succeed: .succeeded(result: nil, artifact: nil)
            case .fail: .failed(message: "simulated failure", permanent: false)
            case .failPermanently: .failed(message: "simulated permanent failure", permanent: true)
            }
        do {
            let (stored, wrote) = try await processes[index].engine.storeOutcomeReportingWrite(
                of: attempt.task, owner: owner, outcome: outcome, progress: attempt.progress,
                retryDelay: .seconds(Int.random(in: 0...10, using: &random)), context: nil)
            report.trace("finish \(tasks[attempt.task.id]?.index ?? -1) \(owner) \(wrote) \(stored.status)")
            if wrote {
                report.outcomes += 1
                noteWrite(stored, of: attempt, by: owner, what: "an outcome")
            } else {
                report.refusedWrites += 1
            }
        } catch {
            violation("an outcome write failed: \(error)")
        }
    }

    mutating func operate() async {
        let pool =
            Int.random(in: 0..<10, using: &random) < 6 && !recentlyEnded.isEmpty ? recentlyEnded : order
        guard let id = pool.randomElement(using: &random), var model = tasks[id] else { return }
        let service = processes[Int.random(in: 0..<processes.count, using: &random)].service
        let admin = Caller.admin("ops")
        let action = Int.random(in: 0..<9, using: &random)
        do {
            let changed: TaskRecord?
            switch action {
            case 0, 1: changed = try await service.cancel(id, as: admin)
            case 2, 3: changed = try await service.pause(id, as: admin)
            case 4, 5: changed = try await service.resume(id, as: admin)
            case 6, 7: changed = try await service.retry(id, as: admin)
            default:
                try await service.delete(id, as: admin)
                changed = nil
            }
            if let changed {
                if action == 6 || action == 7 { model.retriedSinceTerminal = true }
                observe(changed, into: &model)
                tasks[id] = model
            }
            report.trace("operate \(model.index) \(action) \(changed?.status.rawValue ?? "deleted")")
        } catch let error as TaskworksError
            where error.code == .invalidTransition || error.code == .taskNotFound
        {
            report.trace("operate \(model.index) \(action) refused")
        } catch {
            violation("an operator's action failed: \(error)")
        }
    }
}
