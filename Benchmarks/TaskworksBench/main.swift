import Foundation

// taskworks-bench: the benchmark workloads of ../shared/WORKLOADS.md, one JSON line per run.
do {
    let options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
    try await Workload.run(options)
} catch let error as BenchOptions.UsageError {
    FileHandle.standardError.write(Data("taskworks-bench: \(error.description)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("taskworks-bench: failed: \(error)\n".utf8))
    exit(1)
}
