#if Postgres
    import Foundation

    /// A value behind a lock.
    ///
    /// `@unchecked Sendable` is safe: `value` is read and written only inside `withLock`, which holds
    /// `lock` (a pthread mutex that ThreadSanitizer understands) for the whole access.
    final class Locked<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value

        init(_ value: Value) { self.value = value }

        func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
            lock.lock()
            defer { lock.unlock() }
            return try body(&value)
        }
    }
#endif  // Postgres
