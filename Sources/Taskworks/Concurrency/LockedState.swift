#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value guarded by a `pthread_mutex_t`: every read and write goes through ``withLock(_:)``.
///
/// Why not `Synchronization.Mutex`: on Linux it parks contended threads with `FUTEX_LOCK_PI`,
/// a hand-off inside the kernel that ThreadSanitizer cannot see, so every contended section is
/// reported as a race and the suite could not be kept clean under `--sanitize=thread`.
/// ThreadSanitizer intercepts `pthread_mutex_lock`, so it sees this lock's happens-before edges.
///
/// Why `@unchecked Sendable` is sound here: the only mutable state is `value`, and it is touched
/// only inside `withLock`, between `pthread_mutex_lock` and `pthread_mutex_unlock` on the one
/// mutex this instance owns; `State` is itself `Sendable`, so nothing handed in or out of the
/// lock can carry unsynchronized shared state. The mutex lives at a stable heap address
/// (allocated once in `init`, destroyed in `deinit`), as POSIX requires.
final class LockedState<State: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: State

    init(_ initial: State) {
        value = initial
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        #if canImport(Glibc)
            // Critical sections here are a few hundred nanoseconds: spinning briefly before
            // sleeping avoids parking a thread (a kernel round trip) on every contended lock.
            pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        #endif
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Never call it re-entrantly, and never
    /// suspend inside (the closure is synchronous, so the compiler enforces the latter).
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
