/// A wake-up call between tasks: ``notify()`` wakes the waiter, or, when nobody waits, lets the
/// next ``wait()`` return at once, so a notification sent between "check state" and "wait" is
/// never lost. Waiting is cancellable and never blocks a thread.
final class WakeUpCall: Sendable {
    private struct State {
        var permit = false
        var nextWaiterID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Waiters whose cancellation ran before they were registered.
        var cancelledBeforeRegistration: Set<UInt64> = []
    }

    private let state = LockedState(State())

    init() {}

    /// Wakes every current waiter, or leaves a permit for the next `wait()`.
    func notify() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty {
                state.permit = true
                return []
            }
            let woken = Array(state.waiters.values)
            state.waiters.removeAll(keepingCapacity: true)
            return woken
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns after a notification (possibly one sent before the call) or when the calling task
    /// is cancelled.
    func wait() async {
        let id: UInt64? = state.withLock { state in
            if state.permit {
                state.permit = false
                return nil
            }
            state.nextWaiterID &+= 1
            return state.nextWaiterID
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.cancelledBeforeRegistration.remove(id) != nil { return true }
                    if state.permit {
                        state.permit = false
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelledBeforeRegistration.insert(id)
                return nil
            }
            waiter?.resume()
        }
        // A waiter that was resumed normally never needs its cancellation marker.
        state.withLock { _ = $0.cancelledBeforeRegistration.remove(id) }
    }

    /// Returns after a notification, after `timeout` of `clock`'s time, or when the calling task
    /// is cancelled, whichever comes first.
    func wait(timeout: Duration, on clock: any TaskClock) async {
        guard timeout > .zero else { return }
        if state.withLock({ state in
            guard state.permit else { return false }
            state.permit = false
            return true
        }) {
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(for: timeout) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
