#if Postgres
    import Foundation
    import Taskworks

    // taskworks-postgres-bench: W1, W2 across processes, W5 and W6 on PostgreSQL, one JSON line each;
    // also the worker process those workloads and the multi-host tests start. See --help.
    do {
        let arguments = try BenchArguments.parse(Array(CommandLine.arguments.dropFirst()))
        if arguments.mode == "worker" {
            try await WorkerProcess.run(arguments)
        } else if arguments.mode == "producer" {
            try await ProducerProcess.run(arguments)
        } else {
            switch arguments.workload {
            case "w1": try await Workloads.w1(arguments)
            case "batch-create": try await Workloads.batchCreate(arguments)
            case "w2-hot": try await Workloads.w2(arguments, idle: false)
            case "w2-idle": try await Workloads.w2(arguments, idle: true)
            case "w5": try await Workloads.w5(arguments)
            case "w6": try await Workloads.progress(arguments)
            default:
                throw TaskworksError.invalidInput(
                    "unknown workload '\(arguments.workload)'; choose w1, batch-create, w2-hot, w2-idle, w5 or w6\n\n\(BenchArguments.usage)"
                )
            }
        }
    } catch {
        FileHandle.standardError.write(Data("taskworks-postgres-bench: \(error)\n".utf8))
        exit(2)
    }
#endif  // Postgres
