import Foundation

/// Command-line options of `taskworks-bench`.
struct BenchOptions {
    enum StoreKind: String, CaseIterable {
        case memory
    }

    var workload = "w1"
    var store = StoreKind.memory
    var n: Int?
    var concurrency = 10
    var runs = 1

    static let usage = """
        usage: taskworks-bench --workload NAME [--store memory] [--n N] [--concurrency C] [--runs R]

        workloads:
          w1          create N no-op tasks with the pool stopped, then drain them (N = 20000)
          w2-hot      pickup latency, next task created as soon as the last finished (N = 200)
          w2-idle     pickup latency with a random 0–300 ms gap before each create (N = 200)
          management  list / count / recent-tasks cost over N stored tasks (N = 100000)

        Each run prints one JSON line. Build with -c release for meaningful figures.
        """

    struct UsageError: Error, CustomStringConvertible {
        let description: String
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
            case "--store":
                let text = try value(for: flag)
                guard let kind = StoreKind(rawValue: text) else {
                    throw UsageError(
                        description: "unknown store '\(text)'; choose one of "
                            + StoreKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                options.store = kind
            case "--n": options.n = try positive(try value(for: flag), flag)
            case "--concurrency": options.concurrency = try positive(try value(for: flag), flag)
            case "--runs": options.runs = try positive(try value(for: flag), flag)
            case "--help", "-h": throw UsageError(description: usage)
            default: throw UsageError(description: "unknown flag '\(flag)'\n\n\(usage)")
            }
            index += 1
        }
        return options
    }
}
