import Foundation
import Testing

@testable import Taskworks

/// The simulator: runs without a violation, replays a seed to the same trace, and reports a
/// broken invariant when one is broken.
@Suite("Simulator")
struct SimulationTests {
    /// Seeds 54 and 37 found a stale attempt's writes landing on a newer claim with the same
    /// owner and attempt number (a process stalled past its lease, a caller's retry started the
    /// count again, the same process claimed the task again); they run past those steps here.
    @Test(arguments: [(54, 32_000), (37, 44_000), (1, 20_000), (2, 20_000)] as [(UInt64, Int)])
    func aRunBreaksNoInvariant(seed: UInt64, steps: Int) async throws {
        let report = try await TaskworksSimulation.run(.init(seed: seed, steps: steps))
        #expect(report.violations.isEmpty, "\(report.violations.prefix(3))")
        #expect(report.tasks > 1_000 && report.outcomes > 1_000)
        #expect(report.crashes > 0 && report.rescues > 0 && report.refusedWrites > 0)
    }

    /// A run over a file store, each process with a handle of its own and a crash reopening it
    /// (recovery from the snapshot and journal): no invariant breaks, and every step's result is
    /// the same as over one memory store, so the trace hashes are equal.
    @Test func aRunOverTheFileStoreBreaksNoInvariantAndMatchesTheMemoryStore() async throws {
        var configuration = TaskworksSimulation.Configuration(seed: 5, steps: 5_000)
        configuration.fileStoreDirectory = try TemporaryDirectory.make().appendingPathComponent("tasks").path
        let report = try await TaskworksSimulation.run(configuration)
        #expect(report.violations.isEmpty, "\(report.violations.prefix(3))")
        #expect(report.outcomes > 200 && report.crashes > 0 && report.rescues > 0)
        var memory = configuration
        memory.fileStoreDirectory = nil
        #expect(try await TaskworksSimulation.run(memory).traceHash == report.traceHash)
    }

    @Test func aSeedReplaysToTheSameTrace() async throws {
        let first = try await TaskworksSimulation.run(.init(seed: 7, steps: 5_000))
        let second = try await TaskworksSimulation.run(.init(seed: 7, steps: 5_000))
        let other = try await TaskworksSimulation.run(.init(seed: 8, steps: 5_000))
        #expect(first.traceHash == second.traceHash)
        #expect(first.jsonLine == second.jsonLine)
        #expect(first.traceHash != other.traceHash)
    }

    /// The checks themselves can fail: a write by anything but the newest claim, a claim of a
    /// paused task and a status leaving terminal without a retry are each reported.
    @Test func theInvariantsReportWhatBreaksThem() async throws {
        var simulation = try await TaskworksSimulation(.init(seed: 1, steps: 0))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var task = TaskRecord(type: "job", createdBy: "alice", createdAt: now)
        simulation.tasks[task.id] = SimulatedTaskModel(index: 0, creator: "alice")
        simulation.order.append(task.id)
        task.status = .running
        task.leaseOwner = "p1.1"
        task.leaseExpiresAt = now.addingTimeInterval(30)
        task.attempts = 1
        task.startedAt = now
        simulation.noteClaim(task, by: "p1.1")
        #expect(simulation.report.violations.isEmpty)

        var stale = SimulatedAttempt(task: task, stepsLeft: 0, ending: .succeed)
        stale.task.startedAt = now.addingTimeInterval(-60)
        simulation.noteWrite(task, of: stale, by: "p1.1", what: "an outcome")
        #expect(simulation.report.violations.last?.contains("newest claim") == true)

        simulation.tasks[task.id]?.lastStatus = .paused
        simulation.noteClaim(task, by: "p1.1")
        #expect(simulation.report.violations.last?.contains("claimed while paused") == true)

        var model = try #require(simulation.tasks[task.id])
        model.lastStatus = .failed
        task.status = .pending
        simulation.observe(task, into: &model)
        #expect(simulation.report.violations.last?.contains("without a retry") == true)
    }
}
