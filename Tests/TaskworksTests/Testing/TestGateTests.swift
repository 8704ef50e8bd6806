import Foundation
import TaskworksTesting
import Testing

@Suite("TestGate")
struct TestGateTests {
    @Test func waitersReturnOnceOpenedAndLaterWaitsAtOnce() async throws {
        let gate = TestGate()
        let waiter = Task { try await gate.wait() }
        gate.open()
        try await value(of: waiter)
        try await gate.wait()
        #expect(gate.isOpen)
    }

    @Test func aGateNobodyOpensFailsAtItsDeadlineInsteadOfHanging() async throws {
        let gate = TestGate(deadline: .milliseconds(20))
        await #expect(throws: DeadlineExceeded.self) { try await gate.wait() }
    }

    @Test func aCancelledWaitThrowsCancellation() async throws {
        let gate = TestGate()
        let waiter = Task { try await gate.wait() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await value(of: waiter) }
    }
}
