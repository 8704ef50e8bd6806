import Foundation
import TaskworksTesting
import Testing

@testable import Taskworks

private struct Invoice: TaskDefinition {
    typealias Result = String
    static let taskType = "invoice"
    var customer: String
    var failuresBeforeSuccess: Int = 0
}

@Suite("Inline drain")
struct InlineDrainTests {
    private static func service(_ clock: ManualTaskClock, attempts: Tally<String>) throws -> TaskService {
        let registry = TaskRegistry()
        try registry.register(Invoice.self, defaults: .init(maxRetries: 2)) { invoice, context in
            attempts.add(invoice.customer)
            if attempts[invoice.customer] <= invoice.failuresBeforeSuccess { throw CocoaError(.fileLocking) }
            return "invoice for \(invoice.customer)"
        }
        return TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
    }

    @Test func everyDueTaskRunsOnTheCallersTaskInClaimOrder() async throws {
        let clock = ManualTaskClock()
        let service = try InlineDrainTests.service(clock, attempts: Tally())
        let low = try await service.create(Invoice(customer: "low"), createdBy: .user("alice"))
        let high = try await service.create(
            Invoice(customer: "high"), options: .init(priority: 9), createdBy: .user("alice"))
        let later = try await service.create(
            Invoice(customer: "later"), options: .init(delay: .seconds(60)), createdBy: .user("alice"))
        let ran = try await service.drainInline()
        #expect(ran.map(\.id) == [high.id, low.id])
        #expect(ran.map(\.status) == [.succeeded, .succeeded])
        #expect(try ran.first?.result(of: Invoice.self) == "invoice for high")
        #expect(try await service.task(later.id, as: .system).status == .pending)
        clock.advance(by: 61)
        #expect(try await service.drainInline().map(\.id) == [later.id])
        #expect(try await service.drainInline().isEmpty)
    }

    @Test func aRetryWaitsForTheClockAndThenSucceeds() async throws {
        let clock = ManualTaskClock()
        let attempts = Tally<String>()
        let service = try InlineDrainTests.service(clock, attempts: attempts)
        let task = try await service.create(
            Invoice(customer: "flaky", failuresBeforeSuccess: 1), createdBy: .system)
        let first = try await service.drainInline(retryPolicy: RetryPolicy(initialDelay: .seconds(10)))
        #expect(first.map(\.status) == [.pending])
        #expect(first.first?.errorMessage?.isEmpty == false)
        #expect(try await service.drainInline().isEmpty)  // the retry is 10 s away
        clock.advance(by: 10)
        let second = try await service.drainInline()
        #expect(second.map(\.status) == [.succeeded])
        #expect(second.first?.attempts == 2)
        #expect(attempts["flaky"] == 2)
        #expect(try await service.task(task.id, as: .system).status == .succeeded)
    }

    @Test func pendingTasksAreFoundByTypeCreatorAndPayload() async throws {
        let service = try InlineDrainTests.service(ManualTaskClock(), attempts: Tally())
        try await service.create(Invoice(customer: "acme"), createdBy: .user("alice"))
        try await service.create(Invoice(customer: "globex"), createdBy: .user("alice"))
        try await service.create(Invoice(customer: "acme"), createdBy: .user("bob"))
        #expect(try await service.pendingTasks(of: Invoice.self).count == 3)
        #expect(try await service.pendingTasks(of: Invoice.self, createdBy: .user("alice")).count == 2)
        let acmeByAlice = try await service.pendingTasks(of: Invoice.self, createdBy: .user("alice")) {
            $0.customer == "acme"
        }
        #expect(try acmeByAlice.map { try $0.payload(of: Invoice.self).customer } == ["acme"])
        try await service.drainInline()
        #expect(try await service.pendingTasks(of: Invoice.self).isEmpty)
    }
}
