import Dispatch
import Foundation
import Synchronization

// taskworks-bench: the benchmark workloads of ../shared/WORKLOADS.md, one JSON line per run.
//
// The main thread waits on a semaphore instead of using an async top level: an async main parks
// the main thread in libdispatch's `sigsuspend` on a read-only signal mask, which valgrind 3.19
// (Debian 12) faults on, and `Benchmarks/instructions-per-task` runs this binary under callgrind.
// The work runs detached, off the main actor that this blocked thread holds.
let exitCode = Atomic<Int32>(0)
let finished = DispatchSemaphore(value: 0)
Task.detached {
    do {
        let options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
        try await Workload.run(options)
    } catch let error as BenchOptions.UsageError {
        FileHandle.standardError.write(Data("taskworks-bench: \(error.description)\n".utf8))
        exitCode.store(2, ordering: .relaxed)
    } catch {
        FileHandle.standardError.write(Data("taskworks-bench: failed: \(error)\n".utf8))
        exitCode.store(1, ordering: .relaxed)
    }
    finished.signal()
}
finished.wait()
exit(exitCode.load(ordering: .relaxed))
