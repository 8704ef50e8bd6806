import Foundation
import Taskworks

/// The `powerloss` mode: every kind of file-store write, over several compactions, each logged
/// only after it returned. The power-loss test records its system calls and replays them into the
/// states a machine that lost its power could leave.
///
/// Log lines: `opened`; `ack ID` (create); `claim ID V`; `finish ID V`; `tick NAME SECONDS`;
/// `pausing TYPE B` / `paused TYPE B`; `saving N` / `saved N` (settings); `removing ID` /
/// `removed ID`; `closed`. A `…ing` line comes before its write starts, so the test knows which
/// values may be there although never acknowledged.
enum PowerLossWorkload {
    static let scheduleName = "nightly"
    static let pausedType = "reports"

    static func run(directory: String, log: LineLog, durability: String) async throws {
        var options = FileTaskStore.Options(createDirectory: true, compactionThreshold: 3_000)
        options.warningHandler = { _ in }
        switch durability {
        case "synchronous": options.durability = .synchronous
        case "batched": options.durability = .batched(.milliseconds(1))
        default: fail("durability must be synchronous or batched, not \(durability)")
        }
        let store = try await FileTaskStore(directory: directory, options: options)
        log.line("opened")
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for round in 0..<18 {
            try await createClaimAndFinish(store, round: round, start: start, log: log)
            let tick = start.addingTimeInterval(Double(round) * 60)
            if try await store.claimScheduleTick(scheduleName, tick: tick) {
                log.line("tick \(scheduleName) \(Int(tick.timeIntervalSince1970))")
            }
            if round % 3 == 1 {
                let paused = round % 2 == 1
                log.line("pausing \(pausedType) \(paused)")
                _ = try await store.setTaskType(pausedType, paused: paused)
                log.line("paused \(pausedType) \(paused)")
            }
            if round % 3 == 2 {
                log.line("saving \(round + 1)")
                try await store.saveSettings(TaskSettings(maxConcurrentTasks: round + 1))
                log.line("saved \(round + 1)")
            }
            if round % 4 == 3 {
                try await removeFinished(
                    store, before: start.addingTimeInterval(Double(round) * 60), log: log)
            }
        }
        await store.close()
        log.line("closed")
    }

    private static func createClaimAndFinish(_ store: FileTaskStore, round: Int, start: Date, log: LineLog)
        async throws
    {
        let now = start.addingTimeInterval(Double(round) * 60)
        for index in 0..<3 {
            let record = TaskRecord(
                type: "job",
                payload: .object(["round": .integer(Int64(round)), "index": .integer(Int64(index))]),
                createdBy: "power-loss", createdAt: now)
            _ = try await store.insert(record)
            log.line("ack \(record.id)")
        }
        let claimed = try await store.claim(
            TaskClaimRequest(owner: "power-loss", now: now, leaseDuration: .seconds(30), types: nil, limit: 2)
        )
        for task in claimed { log.line("claim \(task.id) \(task.version)") }
        try await StoreSteps.finish(claimed, at: now, in: store, log: log)
    }

    private static func removeFinished(_ store: FileTaskStore, before: Date, log: LineLog) async throws {
        let removable = try await store.removableTasks(
            RemovalCriteria(finishedBefore: before, deletedBefore: before), limit: 2)
        for task in removable { log.line("removing \(task.id)") }
        if try await store.remove(removable) == removable.count {
            for task in removable { log.line("removed \(task.id)") }
        }
    }
}
