import Foundation

/// `taskworks-demo`'s command line.
struct DemoOptions {
    enum StoreKind: String {
        case file
        case memory
    }

    var store = StoreKind.file
    var dataDirectory = "./taskworks-data"
    var users = 10_000
    var reportMemory = false

    static let help = """
        usage: taskworks-demo [--store file|memory] [--data-dir DIR] [--users N]

        Runs two user exports through Taskworks end to end: alice exports every user, bob the
        active ones. Shows live progress, the completion callbacks, per-user visibility, and where
        each CSV was written.

          --store file|memory  where tasks live (default: file, in DIR/store, so a second run
                               still lists the first run's tasks)
          --data-dir DIR       the demo's data directory (default: ./taskworks-data); it holds
                               store/, artifacts/ and exports/
          --users N            how many sample users to export, 0 to 10000000 (default: 10000)
          --report-memory      print the process's peak resident memory at the end
          --help               this text
        """

    struct UsageError: Error {
        let message: String
    }

    static func parse(_ arguments: [String]) throws -> DemoOptions? {
        var options = DemoOptions()
        var remaining = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = remaining.popFirst() else { throw UsageError(message: "\(flag) needs a value") }
            return next
        }
        while let flag = remaining.popFirst() {
            switch flag {
            case "--help", "-h":
                return nil
            case "--store":
                let text = try value(flag)
                guard let kind = StoreKind(rawValue: text) else {
                    throw UsageError(message: "--store must be file or memory, not '\(text)'")
                }
                options.store = kind
            case "--report-memory":
                options.reportMemory = true
            case "--data-dir":
                options.dataDirectory = try value(flag)
            case "--users":
                let text = try value(flag)
                guard let count = Int(text), (0...10_000_000).contains(count) else {
                    throw UsageError(
                        message: "--users must be a whole number from 0 to 10000000, not '\(text)'")
                }
                options.users = count
            default:
                throw UsageError(message: "unknown flag '\(flag)'")
            }
        }
        return options
    }
}
