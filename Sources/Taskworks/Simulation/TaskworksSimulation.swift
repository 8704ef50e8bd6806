import Foundation

/// A deterministic simulation of several processes sharing one store: producers, runners,
/// operators, lease sweeps, crashes and a clock, interleaved by one seeded random sequence in a
/// single task, with the invariants checked as it goes (``SimulationInvariants``).
///
/// What runs for real: the services and their engines (create, claim, renewals and outcomes
/// through ``TaskTransitions``, rescues, cancel, pause, resume, retry, delete, visibility) over a
/// real ``InMemoryTaskStore``, or a real ``FileTaskStore`` with a handle per process. What is modelled: the worker pools (each process claims up to its
/// free slots and advances its runners a step at a time) and the runners themselves.
package struct TaskworksSimulation {
    /// The simulation's settings.
    package struct Configuration: Sendable {
        /// The seed every choice derives from.
        package var seed: UInt64
        /// How many steps to take before the faults stop.
        package var steps: Int
        /// Simulated processes sharing the store.
        package var processes = 3
        /// Attempts each process runs at once.
        package var concurrency = 3
        /// The lease each claim takes.
        package var leaseDuration = Duration.seconds(30)
        /// The store every process shares: memory, or a file store in a directory (each process
        /// then opens its own handle, and a crash closes it and opens a new one, which recovers).
        package var fileStoreDirectory: String?
        /// At most this many creates are acknowledged (by default one per five steps, so
        /// producers keep going through the run); past it the run drains what it has.
        package var maximumTasks: Int

        /// Settings for `steps` steps from `seed`.
        package init(seed: UInt64, steps: Int) {
            self.seed = seed
            self.steps = steps
            maximumTasks = max(1_000, steps / 5)
        }
    }

    static let creators = ["alice", "bob", "carol"]
    static let uniqueKeys = ["nightly", "sync"]
    let configuration: Configuration
    let clock = SimulatedClock(start: Date(timeIntervalSince1970: 1_800_000_000))
    var random: SplitMix64
    var processes: [SimulatedProcess] = []
    var tasks: [TaskID: SimulatedTaskModel] = [:]
    var order: [TaskID] = []
    /// Tasks lately seen failed or cancelled: what an operator retries.
    var recentlyEnded: [TaskID] = []
    var report: SimulationReport
    var step = 0

    let registry = TaskRegistry()
    let sharedStore: InMemoryTaskStore?

    init(_ configuration: Configuration) async throws {
        self.configuration = configuration
        random = SplitMix64(seed: configuration.seed)
        report = SimulationReport(seed: configuration.seed)
        report.processes = configuration.processes
        sharedStore = configuration.fileStoreDirectory == nil ? InMemoryTaskStore() : nil
        try registry.register("job") { _ in ClosureTaskRunner { _ in nil } }
        for number in 1...configuration.processes {
            processes.append(
                SimulatedProcess(
                    number: number, service: try await openService(), concurrency: configuration.concurrency))
        }
    }

    /// A process's service: over the shared memory store, or over a new handle on the file store.
    func openService() async throws -> TaskService {
        var settings = TaskService.Configuration()
        settings.diagnostics = TaskDiagnostics { _ in }
        let store: any TaskStore
        if let directory = configuration.fileStoreDirectory {
            store = try await FileTaskStore(
                directory: directory, options: .init(durability: .none, createDirectory: true))
        } else {
            store = sharedStore ?? InMemoryTaskStore()
        }
        return TaskService(store: store, registry: registry, clock: clock, configuration: settings)
    }

    /// Closes the file store handles (a memory store needs nothing).
    func close() async {
        for process in processes {
            if let file = process.service.store as? FileTaskStore { await file.close() }
        }
    }

    /// Runs `configuration.steps` steps, then stops every fault and checks that every task that
    /// may run gets to the end (liveness).
    package static func run(_ configuration: Configuration) async throws -> SimulationReport {
        var simulation = try await TaskworksSimulation(configuration)
        for _ in 0..<configuration.steps {
            await simulation.takeStep()
            if simulation.step % 2_000 == 0 { await simulation.checkStore() }
        }
        await simulation.checkStore()
        await simulation.drainToTheEnd()
        await simulation.close()
        return simulation.report
    }

    mutating func takeStep() async {
        step += 1
        report.steps = step
        // Real time never stands still: a step takes at least a microsecond.
        clock.advance(by: Double(Int.random(in: 1...2_000, using: &random)) / 1_000_000)
        let roll = Int.random(in: 0..<100, using: &random)
        switch roll {
        case 0..<18: await create()
        case 18..<38: await claim(in: Int.random(in: 0..<processes.count, using: &random))
        case 38..<70: await advanceAnAttempt()
        case 70..<78: await operate()
        case 78..<84: advanceTheClock()
        case 84..<90: await sweep()
        case 90..<91: await crash()
        case 91..<93: toggleAStall()
        default: await readAsACreator()
        }
    }

    mutating func violation(_ text: String) {
        report.violations.append("step \(step): \(text)")
        report.trace("violation")
    }

    private mutating func create() async {
        guard order.count < configuration.maximumTasks else { return }
        let process = processes[Int.random(in: 0..<processes.count, using: &random)]
        let creator = Self.creators.randomElement(using: &random) ?? "alice"
        var options = TaskOptions(
            maxRetries: Int.random(in: 0...2, using: &random), priority: Int.random(in: 1...9, using: &random)
        )
        if Int.random(in: 0..<5, using: &random) == 0 {
            options.delay = .seconds(Int.random(in: 1...60, using: &random))
        }
        if Int.random(in: 0..<8, using: &random) == 0 {
            options.uniqueKey = Self.uniqueKeys.randomElement(using: &random)
        }
        do {
            let created = try await process.service.create("job", options: options, createdBy: .user(creator))
            if tasks[created.id] == nil {
                tasks[created.id] = SimulatedTaskModel(index: order.count, creator: creator)
                order.append(created.id)
                report.tasks = order.count
            }
            report.trace("create \(tasks[created.id]?.index ?? -1)")
        } catch {
            violation("a create was refused: \(error)")
        }
    }

    mutating func claim(in index: Int) async {
        let process = processes[index]
        guard process.freeSlots > 0, !process.isStalled else { return }
        let request = TaskClaimRequest(
            owner: process.owner, now: clock.now(), leaseDuration: configuration.leaseDuration,
            limit: Int.random(in: 1...process.freeSlots, using: &random))
        let claimed: [TaskRecord]
        do {
            claimed = try await process.engine.claim(request)
        } catch {
            violation("a claim failed: \(error)")
            return
        }
        for task in claimed {
            noteClaim(task, by: process.owner)
            let ending = SimulatedAttempt.Ending.allCases.randomElement(using: &random) ?? .succeed
            processes[index].attempts.append(
                SimulatedAttempt(task: task, stepsLeft: Int.random(in: 0...4, using: &random), ending: ending)
            )
            report.trace("claim \(tasks[task.id]?.index ?? -1) \(process.owner) \(task.attempts)")
        }
    }

    private mutating func advanceTheClock() {
        let seconds = Double(Int.random(in: 1...20, using: &random))
        clock.advance(by: seconds)
        report.trace("clock \(seconds)")
    }

    private mutating func sweep() async {
        let process = processes[Int.random(in: 0..<processes.count, using: &random)]
        do {
            let rescued = try await process.service.rescueExpiredLeases(limit: 100)
            report.rescues += rescued
            report.trace("sweep \(rescued)")
        } catch {
            violation("a sweep failed: \(error)")
        }
    }

    private mutating func toggleAStall() {
        let index = Int.random(in: 0..<processes.count, using: &random)
        processes[index].isStalled.toggle()
        report.trace("stall \(index) \(processes[index].isStalled)")
    }

    /// A process dies: its attempts are gone, and on the file store its handle closes and a new
    /// one opens (reading the snapshot and journal back) for the process that starts again.
    private mutating func crash() async {
        let index = Int.random(in: 0..<processes.count, using: &random)
        processes[index].attempts.removeAll()
        processes[index].generation += 1
        if let file = processes[index].service.store as? FileTaskStore {
            await file.close()
            do {
                processes[index].service = try await openService()
            } catch {
                violation("the file store did not open again after a crash: \(error)")
            }
        }
        report.crashes += 1
        report.trace("crash \(index)")
    }
}
