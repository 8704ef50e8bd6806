/// The one latch of the package: opened once with a value, awaited by any number of tasks before
/// or after it opens. Shared with the plugins and the test kit by `package` access (a store's
/// readiness, an I/O thread that stopped, a test's gate).
package final class Latch<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var nextWaiterID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Value?, Never>] = [:]
        /// Waiters whose cancellation or timeout ran before they were registered.
        var abandoned: Set<UInt64> = []
    }

    private let state: LockedState<State>

    /// A closed latch.
    package init() {
        state = LockedState(State())
    }

    /// A latch open from the start with `value`.
    package init(opened value: Value) {
        state = LockedState(State(value: value))
    }

    /// The value it opened with, or `nil` while it is closed.
    package var value: Value? { state.withLock { $0.value } }

    /// Opens the latch with `value`: every waiter, present and future, gets it. Only the first
    /// call counts; it returns whether this call opened the latch.
    @discardableResult
    package func open(_ value: Value) -> Bool {
        let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>]? in
            guard state.value == nil else { return nil }
            state.value = value
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        guard let waiters else { return false }
        for waiter in waiters { waiter.resume(returning: value) }
        return true
    }

    /// Waits until the latch opens, whatever happens to the calling task.
    package func wait() async -> Value {
        // An unstructured task inherits no cancellation: it returns only once the latch opens.
        await Task { [self] in
            while true {
                if let value = await waitCancellably() { return value }
            }
        }.value
    }

    /// Waits until the latch opens (its value), the calling task is cancelled or `timeout` of
    /// `clock`'s time passes (`nil`).
    package func wait(timeout: Duration, on clock: any TaskClock) async -> Value? {
        if let value { return value }
        return await withTaskGroup(of: Value?.self) { group in
            group.addTask { await self.waitCancellably() }
            group.addTask {
                try? await clock.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? value
        }
    }

    /// Waits until the latch opens or the calling task is cancelled (`nil`).
    private func waitCancellably() async -> Value? {
        let id: UInt64? = state.withLock { state in
            guard state.value == nil else { return nil }
            state.nextWaiterID &+= 1
            return state.nextWaiterID
        }
        guard let id else { return value }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let now = state.withLock { state -> Value?? in
                    if let value = state.value { return .some(value) }
                    if state.abandoned.remove(id) != nil { return .some(nil) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Value?, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.abandoned.insert(id)
                return nil
            }
            waiter?.resume(returning: nil)
        }
        state.withLock { _ = $0.abandoned.remove(id) }
        return result
    }
}

extension Latch where Value == Void {
    /// Opens the latch.
    @discardableResult
    package func open() -> Bool { open(()) }
}
