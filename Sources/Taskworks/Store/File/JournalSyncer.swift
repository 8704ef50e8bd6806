import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file store's `fsync` thread: the I/O thread appends a batch, hands the journal to this
/// thread and moves on to the next batch (a claim, say) while the disk flushes. Callers of a
/// write hear back only once a flush that began after their append has finished; requests that
/// queue up meanwhile share the next flush (group commit, pipelined).
///
/// Each request carries its own duplicate of the journal's descriptor, so a compaction that
/// closes the journal on the I/O thread never leaves this thread flushing a reused descriptor.
final class JournalSyncer: Sendable {
    struct Request: Sendable {
        /// A duplicate descriptor of the journal, closed by this thread once flushed.
        let descriptor: Int32
        let path: String
        let completions: [@Sendable (TaskworksError?) -> Void]
    }

    private let requests = BlockingJobQueue<Request>()
    private let finished = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [requests, finished] in
            while let batch = requests.takeAll(waitingAtMost: nil) {
                JournalSyncer.flush(batch)
            }
            finished.signal()
        }
        thread.name = "taskworks-file-store-sync"
        thread.start()
    }

    /// Flushes `journal` and then calls `completions` (with the error if the flush failed).
    /// Without a descriptor to spare, flushes right here on the caller's thread.
    func sync(_ journal: PosixFile, then completions: [@Sendable (TaskworksError?) -> Void]) {
        let duplicate = dup(journal.descriptor)
        let request = Request(descriptor: duplicate, path: journal.path, completions: completions)
        if duplicate < 0 || !requests.push(request) {
            if duplicate >= 0 { close(duplicate) }
            let failure = JournalSyncer.syncHere(journal)
            for completion in completions { completion(failure) }
        }
    }

    /// Flushes `journal` on the calling thread; the error, if the flush failed.
    static func syncHere(_ journal: PosixFile) -> TaskworksError? {
        do {
            try journal.sync()
            return nil
        } catch {
            return error as? TaskworksError ?? .storageFailure("\(error)", path: journal.path)
        }
    }

    /// Finishes every queued flush, then stops the thread. Blocks the calling (I/O) thread.
    func finish() {
        requests.close()
        finished.wait()
    }

    /// One `fdatasync` per journal in the batch (the newest descriptor of each), then answers.
    private static func flush(_ batch: [Request]) {
        var failures: [String: TaskworksError] = [:]
        var flushed: Set<String> = []
        for request in batch.reversed() where !flushed.contains(request.path) {
            flushed.insert(request.path)
            if fdatasync(request.descriptor) != 0 {
                failures[request.path] = PosixFile.failure("fsync", request.path)
            }
        }
        for request in batch {
            close(request.descriptor)
            for completion in request.completions { completion(failures[request.path]) }
        }
    }
}
