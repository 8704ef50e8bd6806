import Foundation

/// Command-line options of `taskworks-bench`.
struct BenchOptions {
    enum StoreKind: String, CaseIterable {
        case memory
        case file
    }

    enum DurabilityKind: String, CaseIterable {
        case synchronous
        case batched
        case none
    }

    var workload = "w1"
    var store = StoreKind.memory
    var durability = DurabilityKind.synchronous
    /// Where the file store lives; a fresh temporary directory per run when not given.
    var directory: String?
    /// Where a W5 worker writes the ids it ran (internal to `--workload w5`).
    var log: String?
    var n: Int?
    var concurrency = 10
    var runs = 1
    /// How many tasks create concurrently in W1's enqueue phase (1 = one producer, as peers run).
    var producers = 1
    /// W5: how many worker processes share the store.
    var processes = 4
    /// `w1-batch-create`: tasks per `TaskService.create(_:createdBy:)` call.
    var batchSize = 1_000

    static let usage = """
        usage: taskworks-bench --workload NAME [--store memory|file]
                               [--durability synchronous|batched|none] [--n N] [--concurrency C]
                               [--runs R] [--producers P] [--processes K] [--directory DIR]
                               [--batch-size B]

        workloads:
          w1          create N no-op tasks with the pool stopped, then drain them (N = 20000)
          w1-create   W1's create phase alone (no pool), for instructions-per-task
          w1-e2e      create N no-op tasks while the pool runs; time until all succeeded
          w1-batch-create
                      create N no-op tasks (N = 100000) in batches of B (1000), no pool
          w3          W1 on the file store at N = 1000, 10000 and 100000 (or --n): per-task cost
          w4          100000 pending tasks with a 200-byte payload: RSS, bytes on disk, reopen time
          w4-open     reopen the W4 store at --directory alone: open time and peak RSS
          w5          4 processes drain one file store of N = 20000 tasks together
          w6          10 workers run tasks that report progress 1000 times each
          w2-hot      pickup latency, next task created as soon as the last finished (N = 200)
          w2-idle     pickup latency with a random 0–300 ms gap before each create (N = 200)
          management  list / count / recent-tasks cost over N stored tasks (N = 100000)

        Each run prints one JSON line. Build with -c release for meaningful figures.
        """

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    /// The enum case named `text`, or a usage error listing the choices.
    static func choice<Choice: RawRepresentable & CaseIterable>(
        _ text: String, _ what: String
    ) throws -> Choice where Choice.RawValue == String {
        guard let value = Choice(rawValue: text) else {
            throw UsageError(
                description: "unknown \(what) '\(text)'; choose one of "
                    + Choice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var options = BenchOptions()
        var index = 0
        func value(for flag: String) throws -> String {
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(flag) needs a value") }
            return arguments[index]
        }
        func positive(_ text: String, _ flag: String) throws -> Int {
            guard let number = Int(text), number > 0 else {
                throw UsageError(description: "\(flag) must be a positive integer; got '\(text)'")
            }
            return number
        }
        while index < arguments.count {
            let flag = arguments[index]
            switch flag {
            case "--workload":
                options.workload = try value(for: flag)
                guard Workload.names.contains(options.workload) else {
                    throw UsageError(
                        description: "unknown workload '\(options.workload)'; choose one of "
                            + Workload.names.joined(separator: ", "))
                }
            case "--store": options.store = try choice(try value(for: flag), "store")
            case "--durability": options.durability = try choice(try value(for: flag), "durability")
            case "--directory": options.directory = try value(for: flag)
            case "--log": options.log = try value(for: flag)
            case "--n": options.n = try positive(try value(for: flag), flag)
            case "--concurrency": options.concurrency = try positive(try value(for: flag), flag)
            case "--runs": options.runs = try positive(try value(for: flag), flag)
            case "--producers": options.producers = try positive(try value(for: flag), flag)
            case "--processes": options.processes = try positive(try value(for: flag), flag)
            case "--batch-size": options.batchSize = try positive(try value(for: flag), flag)
            case "--help", "-h": throw UsageError(description: usage)
            default: throw UsageError(description: "unknown flag '\(flag)'\n\n\(usage)")
            }
            index += 1
        }
        return options
    }
}
