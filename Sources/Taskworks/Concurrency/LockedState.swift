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
/// Why `@unchecked Sendable` is sound here: the only mutable state is the value, and it is touched
/// only inside `withLock`, between `pthread_mutex_lock` and `pthread_mutex_unlock` on the one
/// mutex this instance owns; `State` is itself `Sendable`, so nothing handed in or out of the
/// lock can carry unsynchronized shared state. The mutex and the value live in one heap block at
/// a stable address (allocated once in `init`, destroyed in `deinit`), as POSIX requires; the
/// value is reached through a pointer, so a locked access costs no dynamic exclusivity check (the
/// mutex already gives exclusivity).
final class LockedState<State: Sendable>: @unchecked Sendable {
    private let block: UnsafeMutableRawPointer
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let value: UnsafeMutablePointer<State>

    /// Where the value starts in the block: after the mutex, aligned for `State`.
    private static var valueOffset: Int {
        let alignment = MemoryLayout<State>.alignment
        return (MemoryLayout<pthread_mutex_t>.stride + alignment - 1) / alignment * alignment
    }

    init(_ initial: State) {
        block = UnsafeMutableRawPointer.allocate(
            byteCount: LockedState.valueOffset + MemoryLayout<State>.size,
            alignment: max(MemoryLayout<pthread_mutex_t>.alignment, MemoryLayout<State>.alignment))
        mutex = block.bindMemory(to: pthread_mutex_t.self, capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = lockAttributes
        pthread_mutex_init(mutex, &attributes)
        value = (block + LockedState.valueOffset).bindMemory(to: State.self, capacity: 1)
        value.initialize(to: initial)
    }

    deinit {
        value.deinitialize(count: 1)
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        block.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Never call it re-entrantly, and never
    /// suspend inside (the closure is synchronous, so the compiler enforces the latter).
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}

/// The attributes every ``LockedState`` mutex gets, made once.
private let lockAttributes: pthread_mutexattr_t = {
    var attributes = pthread_mutexattr_t()
    pthread_mutexattr_init(&attributes)
    #if canImport(Glibc)
        // Critical sections here are a few hundred nanoseconds: spinning briefly before sleeping
        // avoids parking a thread (a kernel round trip) on every contended lock.
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
    #endif
    return attributes
}()
