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
/// mutex of the shared storage; `State` is itself `Sendable`, so nothing handed in or out of the
/// lock can carry unsynchronized shared state. Copies of a `LockedState` share one storage object
/// (one allocation: the value is its header, the mutex its one tail element, at a stable address
/// as POSIX requires), so a copy guards the same value with the same mutex. The value is reached
/// through the storage's pointer, so a locked access costs no dynamic exclusivity check (the
/// mutex already gives exclusivity).
package struct LockedState<State: Sendable>: @unchecked Sendable {
    private let storage: LockedStateStorage<State>

    package init(_ initial: State) {
        let buffer = LockedStateStorage<State>.create(minimumCapacity: 1) { _ in initial }
        // `create` makes an instance of the class it is called on.
        storage = unsafeDowncast(buffer, to: LockedStateStorage<State>.self)
        storage.withUnsafeMutablePointerToElements { mutex in
            mutex.initialize(to: pthread_mutex_t())
            var attributes = lockAttributes
            pthread_mutex_init(mutex, &attributes)
        }
    }

    /// Runs `body` with exclusive access to the value. Never call it re-entrantly, and never
    /// suspend inside (the closure is synchronous, so the compiler enforces the latter).
    package func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        try storage.withUnsafeMutablePointers { value, mutex in
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return try body(&value.pointee)
        }
    }
}

/// The storage of a ``LockedState``: the value as the header, the mutex as the one element.
final class LockedStateStorage<State>: ManagedBuffer<State, pthread_mutex_t> {
    deinit {
        withUnsafeMutablePointerToElements { mutex in
            pthread_mutex_destroy(mutex)
            mutex.deinitialize(count: 1)
        }
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
