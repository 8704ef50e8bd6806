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
    private let latch = Latch<Void>()
    /// How long a wait lasts at most.
    public let deadline: Duration

    /// Makes a closed gate whose waits give up after `deadline` (default 60 s).
    public init(deadline: Duration = .seconds(60)) {
        self.deadline = deadline
    }

    /// Opens the gate: every waiter returns, and every later wait returns at once.
    public func open() {
        latch.open()
    }

    /// Whether ``open()`` was called.
    public var isOpen: Bool { latch.value != nil }

    /// Waits until the gate opens.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled first;
    ///   ``DeadlineExceeded`` when ``deadline`` passes first.
    public func wait(fileID: String = #fileID, line: Int = #line) async throws {
        if await latch.wait(timeout: deadline, on: SystemTaskClock()) != nil { return }
        try Task.checkCancellation()
        throw DeadlineExceeded(what: "a TestGate to open", timeout: deadline, fileID: fileID, line: line)
    }

    /// Waits until the gate opens, whatever happens to the calling task: a runner that finishes
    /// its step even when asked to stop.
    ///
    /// - Throws: ``DeadlineExceeded`` when ``deadline`` passes first.
    public func waitIgnoringCancellation(fileID: String = #fileID, line: Int = #line) async throws {
        // An unstructured task inherits no cancellation.
        let opened = await Task { [latch, deadline] in
            await latch.wait(timeout: deadline, on: SystemTaskClock()) != nil
        }.value
        if opened { return }
        throw DeadlineExceeded(what: "a TestGate to open", timeout: deadline, fileID: fileID, line: line)
    }
}
