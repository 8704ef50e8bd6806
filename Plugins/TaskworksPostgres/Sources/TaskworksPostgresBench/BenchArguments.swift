#if Postgres
    import Foundation
    import Taskworks

    /// The command line of `taskworks-postgres-bench`.
    struct BenchArguments {
        static let usage = """
            usage: taskworks-postgres-bench --workload w1|batch-create|w2-hot|w2-idle|w5|w6 [--store postgres]
                                            --url URL [--n N] [--concurrency C] [--processes P]
                                            [--connections K] [--batch-size B] [--sleep-ms MS]
                   taskworks-postgres-bench worker --url URL --schema S --log FILE [--concurrency C]
                                            [--lease-ms L] [--exit-after N] [--worker-id ID]
                                            [--statement-timeout-ms T] [--connection-attempts A]
                   taskworks-postgres-bench producer --url URL --schema S [--n N] [--batch-size B]
                                            [--sleep-ms MS]

              w1        create N no-op tasks with no pool running (enqueue), then drain them with a pool
                        of C workers (drain); N = 20000, C = 10
              batch-create
                        create N no-op tasks in batches of B (1000) through
                        TaskService.create(_:createdBy:), from C producers at once; no pool
              w2-hot    pickup latency across processes: a worker process idles (pool of C, poll 1 s as
                        a safety net, LISTEN/NOTIFY); this process creates 200 tasks one at a time;
                        latency = runner start in the worker - create call in this process
              w2-idle   the same with a random 0-300 ms gap before each create
              w5        P worker processes (default 4) of C slots each drain N tasks together (seeded in
                        batches first); with --sleep-ms MS each runner sleeps 0 to MS ms at random;
                        runs_per_task_max must be 1
              w6        N tasks (try --n 200) on a pool of C (try --concurrency 50), each reporting
                        progress 1000 times over about 1 s (50 reports, then 50 ms asleep); reports
                        absorbed per second, the store writes
                        they caused and the statements that carried those writes
              worker    one worker process of w2/w5 and of the multi-host tests: runs tasks of type
                        "job", appending "run ID PID" as each starts and "done ID PID" as each
                        finishes; stops on SIGTERM, or once N tasks succeeded (--exit-after). Taskworks'
                        diagnostics go to the log too, as "diag PID LINE"; a task whose payload has
                        "return_pid": true stores {"pid": PID} as its result
              producer  creates N "job" tasks (payload {"sleep_ms": 0 to MS at random, "return_pid":
                        true}) in batches of B on the shared schema, then exits (the partition test's
                        producer host)

            URL is postgres://user[:password]@host:port/database (or TASKWORKS_TEST_POSTGRES_URL).
            Each workload runs in a new schema and drops it at the end. One JSON line per workload.
            """

        var mode = "workload"
        var workload = ""
        var url = ProcessInfo.processInfo.environment["TASKWORKS_TEST_POSTGRES_URL"] ?? ""
        var n = 20_000
        var concurrency = 10
        var processes = 4
        var connections = 12
        var schema = ""
        var log = ""
        var leaseMilliseconds = 30_000
        var exitAfter = 0
        var batchSize = 1_000
        var workerID = ""
        var statementTimeoutMilliseconds = 0
        var connectionAttempts = 0
        var sleepMilliseconds = 0

        static func parse(_ arguments: [String]) throws -> BenchArguments {
            var parsed = BenchArguments()
            var rest = arguments[...]
            if let mode = rest.first, mode == "worker" || mode == "producer" {
                parsed.mode = mode
                rest = rest.dropFirst()
            }
            func value(_ flag: String) throws -> String {
                guard let next = rest.popFirst() else {
                    throw TaskworksError.invalidInput("\(flag) needs a value")
                }
                return next
            }
            func number(_ flag: String) throws -> Int {
                let text = try value(flag)
                guard let number = Int(text), number > 0 else {
                    throw TaskworksError.invalidInput("\(flag) needs a positive whole number; got '\(text)'")
                }
                return number
            }
            while let flag = rest.popFirst() {
                switch flag {
                case "--workload": parsed.workload = try value(flag)
                case "--store":
                    let store = try value(flag)
                    guard store == "postgres" else {
                        throw TaskworksError.invalidInput(
                            "this binary measures the postgres store; for memory and file run taskworks-bench"
                        )
                    }
                case "--url": parsed.url = try value(flag)
                case "--n": parsed.n = try number(flag)
                case "--concurrency": parsed.concurrency = try number(flag)
                case "--processes": parsed.processes = try number(flag)
                case "--connections": parsed.connections = try number(flag)
                case "--schema": parsed.schema = try value(flag)
                case "--log": parsed.log = try value(flag)
                case "--lease-ms": parsed.leaseMilliseconds = try number(flag)
                case "--exit-after": parsed.exitAfter = try number(flag)
                case "--batch-size": parsed.batchSize = try number(flag)
                case "--worker-id": parsed.workerID = try value(flag)
                case "--statement-timeout-ms": parsed.statementTimeoutMilliseconds = try number(flag)
                case "--connection-attempts": parsed.connectionAttempts = try number(flag)
                case "--sleep-ms": parsed.sleepMilliseconds = try number(flag)
                case "--help", "-h":
                    print(usage)
                    exit(0)
                default: throw TaskworksError.invalidInput("unknown option '\(flag)'")
                }
            }
            guard !parsed.url.isEmpty else {
                throw TaskworksError.invalidInput(
                    "give --url postgres://… (or set TASKWORKS_TEST_POSTGRES_URL)")
            }
            return parsed
        }
    }
#endif  // Postgres
