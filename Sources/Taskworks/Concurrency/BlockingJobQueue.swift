#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A queue that a dedicated thread drains: producers ``push(_:)`` from anywhere without
/// blocking for long; the consumer thread blocks in ``takeAll(waitingAtMost:)`` until jobs
/// arrive, a deadline passes, or the queue is closed. Used by ``FileTaskStore`` so blocking
/// file I/O runs on its own thread, never on a Swift concurrency thread.
///
/// Why `@unchecked Sendable` is sound here: the mutable state (`jobs`, `isClosed`) is read and
/// written only between `pthread_mutex_lock` and `pthread_mutex_unlock` on the mutex this
/// instance owns (the condition variable waits release and re-take that same mutex); `Job` is
/// `Sendable`. Mutex and condition live at stable heap addresses for the object's lifetime.
final class BlockingJobQueue<Job: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var jobs: [Job] = []
    private var isClosed = false

    init() {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deinitialize(count: 1)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Adds a job; `false` (and the job is dropped) when the queue is closed.
    func push(_ job: Job) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !isClosed else { return false }
        jobs.append(job)
        pthread_cond_signal(condition)
        return true
    }

    /// Stops accepting jobs; the consumer still gets the ones already queued.
    func close() {
        pthread_mutex_lock(mutex)
        isClosed = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Blocks until at least one job is queued and returns all of them; returns `[]` when
    /// `waitingAtMost` passes first, and `nil` once the queue is closed and empty.
    func takeAll(waitingAtMost timeout: Duration?) -> [Job]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        var deadline = timespec()
        if let timeout {
            clock_gettime(CLOCK_REALTIME, &deadline)
            let parts = timeout.components
            let nanoseconds = Int(deadline.tv_nsec) + Int(parts.attoseconds / 1_000_000_000)
            deadline.tv_sec += Int(parts.seconds) + nanoseconds / 1_000_000_000
            deadline.tv_nsec = nanoseconds % 1_000_000_000
        }
        while jobs.isEmpty && !isClosed {
            if timeout == nil {
                pthread_cond_wait(condition, mutex)
            } else if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT {
                break
            }
        }
        if jobs.isEmpty { return isClosed ? nil : [] }
        defer { jobs.removeAll(keepingCapacity: true) }
        return jobs
    }
}
