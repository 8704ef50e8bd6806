import Taskworks

/// A one-way latch for tests: ``wait(fileID:line:)`` suspends until ``open()``, then every wait returns at
/// once — and no wait lasts longer than its deadline: it throws ``DeadlineExceeded`` instead of
/// hanging the test. Use it to hold a runner at a known point while the test acts.
///
/// ```swift
/// let release = TestGate()
/// try registry.register("held") { _ in ClosureTaskRunner { _ in try await release.wait(); return nil } }
/// // … assert the task is running, then:
/// release.open()
/// ```
public final class TestGate: Sendable {
    private struct State {
        var isOpen = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var released: Set<Int> = []
    }

    private let state = LockedState(State())
    /// How long a wait lasts at most.
    public let deadline: Duration

    /// Makes a closed gate whose waits give up after `deadline` (default 60 s).
    public init(deadline: Duration = .seconds(60)) {
        self.deadline = deadline
    }

    /// Opens the gate: every waiter returns, and every later wait returns at once.
    public func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether ``open()`` was called.
    public var isOpen: Bool { state.withLock { $0.isOpen } }

    /// Waits until the gate opens.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled first;
    ///   ``DeadlineExceeded`` when ``deadline`` passes first.
    public func wait(fileID: String = #fileID, line: Int = #line) async throws {
        await suspend(cancellable: true)
        if isOpen { return }
        try Task.checkCancellation()
        throw DeadlineExceeded(what: "a TestGate to open", timeout: deadline, fileID: fileID, line: line)
    }

    /// Waits until the gate opens, whatever happens to the calling task: a runner that finishes
    /// its step even when asked to stop.
    ///
    /// - Throws: ``DeadlineExceeded`` when ``deadline`` passes first.
    public func waitIgnoringCancellation(fileID: String = #fileID, line: Int = #line) async throws {
        await suspend(cancellable: false)
        if isOpen { return }
        throw DeadlineExceeded(what: "a TestGate to open", timeout: deadline, fileID: fileID, line: line)
    }

    /// Suspends until the gate opens, ``deadline`` passes or (when `cancellable`) the task is
    /// cancelled.
    private func suspend(cancellable: Bool) async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task { [weak self] in
            try await Task.sleep(for: self?.deadline ?? .zero)
            self?.release(id)
        }
        defer { timer.cancel() }
        if cancellable {
            await withTaskCancellationHandler {
                await suspend(id)
            } onCancel: {
                release(id)
            }
        } else {
            await suspend(id)
        }
    }

    private func suspend(_ id: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.isOpen || state.released.contains(id) { return true }
                state.waiters[id] = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func release(_ id: Int) {
        let waiter = state.withLock { state in
            state.released.insert(id)
            return state.waiters.removeValue(forKey: id)
        }
        waiter?.resume()
    }
}
