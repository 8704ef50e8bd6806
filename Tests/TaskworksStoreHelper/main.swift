import Foundation
import Taskworks

#if canImport(Glibc)
    import Glibc
#endif

// A child process for the file store's crash and multi-process tests.
//
//   taskworks-store-helper work DIR LOG    create tasks forever while a pool runs them; append
//                                          "ack ID" to LOG after each create returns and
//                                          "start ID" / "end ID" around each run. The test kills
//                                          it with SIGKILL.
//   taskworks-store-helper drain DIR LOG N [LEASE_MS]
//                                          run a pool until N tasks succeeded; append "run ID"
//                                          to LOG for every run.
//   taskworks-store-helper steps DIR LOG   one pass through every kind of store write, each
//                                          acknowledged in LOG once it returns: first open
//                                          ("opened"), creates ("ack ID"), a claim ("claim ID V"),
//                                          finishes ("finish ID V"), compactions (the journal is
//                                          compacted on every write), a retention removal
//                                          ("removed ID"), close ("closed"). The kill-point test
//                                          runs it under strace, killed at one system call.
//   taskworks-store-helper powerloss DIR LOG DURABILITY
//                                          every kind of store write over several compactions, in
//                                          `synchronous` or `batched` durability, each logged once
//                                          it returned (PowerLossWorkload.swift); the power-loss
//                                          test records its system calls with strace.
//   taskworks-store-helper recover DIR LOG open an existing store ("opened"), pause a task type
//                                          ("paused after-recovery true") and close it: the power-loss test cuts the
//                                          power during it, after a recovery that dropped a tail.
//   taskworks-store-helper open DIR LOG    open an existing store (a version-1 one is upgraded)
//                                          and close it; the kill-point test kills it mid-way.
//   taskworks-store-helper serve DIR LOG GRACE_MS
//                                          run long tasks under SignalHandling.run until SIGTERM;
//                                          append "start ID" per run and "exited" at the end.

/// Appends whole lines to a log with one system call each (O_APPEND keeps lines from interleaving).
final class LineLog: Sendable {
    let descriptor: Int32

    init(_ path: String) throws {
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw TaskFailure.permanent("cannot open \(path)") }
    }

    /// `writev`, not `write`: the kill-point test injects its kills into `write` calls, and
    /// those are then the store's own.
    func line(_ text: String) {
        var bytes = Array((text + "\n").utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var vector = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
            _ = writev(descriptor, &vector, 1)
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("taskworks-store-helper: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 4 else { fail("usage: work DIR LOG | drain DIR LOG N | steps DIR LOG") }
let directory = arguments[2]
let log = try LineLog(arguments[3])
if arguments[1] == "steps" {
    try await StoreSteps.run(directory: directory, log: log)
    exit(0)
}
if arguments[1] == "powerloss" {
    guard arguments.count == 5 else { fail("powerloss needs DURABILITY") }
    try await PowerLossWorkload.run(directory: directory, log: log, durability: arguments[4])
    exit(0)
}
if arguments[1] == "open" || arguments[1] == "recover" {
    // Opens an existing store (upgrading a version-1 one, dropping a torn tail) and closes it.
    var options = FileTaskStore.Options()
    options.warningHandler = { _ in }
    let opened = try await FileTaskStore(directory: directory, options: options)
    log.line("opened")
    if arguments[1] == "recover" {
        // The smallest record there is, so that a longer tail the recovery dropped can outlast it.
        log.line("pausing after-recovery true")
        _ = try await opened.setTaskType("after-recovery", paused: true)
        log.line("paused after-recovery true")
    }
    await opened.close()
    exit(0)
}
let registry = TaskRegistry()
let store = try await FileTaskStore(directory: directory)
let service = TaskService(store: store, registry: registry)
var configuration = WorkerPool.Configuration(concurrency: 4)
configuration.pollInterval = .milliseconds(10)
configuration.leaseDuration = .milliseconds(400)
configuration.leaseRenewalInterval = .milliseconds(100)
configuration.retryPolicy = RetryPolicy(initialDelay: .milliseconds(5), jitter: 0)

switch arguments[1] {
case "work":
    try registry.register("job") { _ in
        ClosureTaskRunner { context in
            log.line("start \(context.task.id)")
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...3)))
            log.line("end \(context.task.id)")
            return nil
        }
    }
    let pool = WorkerPool(service: service, configuration: configuration)
    _ = Task { try await pool.run() }  // runs until the test kills this process
    while true {
        let task = try await service.create("job", createdBy: .user("crash-test"))
        log.line("ack \(task.id)")
    }
case "drain":
    guard (5...6).contains(arguments.count), let total = Int(arguments[4]) else {
        fail("drain needs N [LEASE_MS]")
    }
    // No process dies here, so no lease needs to run out: a long lease keeps a process that the
    // machine starves (four of them under ThreadSanitizer on two cores) from losing its tasks to
    // a rescue, and a task running twice can then only mean two claims overlapped. A test that
    // stalls a process on purpose gives a short lease instead.
    if arguments.count == 6, let lease = Int(arguments[5]) {
        configuration.leaseDuration = .milliseconds(lease)
    } else {
        configuration.leaseDuration = .seconds(30)
        configuration.leaseRenewalInterval = .seconds(5)
    }
    try registry.register("job") { _ in
        ClosureTaskRunner { context in
            log.line("run \(context.task.id) \(getpid())")
            return nil
        }
    }
    let pool = WorkerPool(service: service, configuration: configuration)
    let running = Task { try await pool.run() }
    while try await service.counts(for: .system)[.succeeded] < total {
        try await Task.sleep(for: .milliseconds(20))
    }
    pool.shutdown()
    try await running.value
    await store.close()
case "serve":
    guard arguments.count == 5, let grace = Int(arguments[4]) else { fail("serve needs GRACE_MS") }
    try registry.register("long") { _ in
        ClosureTaskRunner { context in
            log.line("start \(context.task.id)")
            try await Task.sleep(for: .seconds(600))
            return nil
        }
    }
    configuration.shutdownGracePeriod = .milliseconds(grace)
    let pool = WorkerPool(service: service, configuration: configuration)
    try await SignalHandling.run(pool)
    await store.close()
    log.line("exited")
default:
    fail("unknown mode \(arguments[1])")
}
