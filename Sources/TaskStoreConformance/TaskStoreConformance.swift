import Foundation
import Taskworks

/// The `TaskStore` contract as runnable checks: a store that passes every check is correct; one
/// that fails any is not. The in-memory, file and PostgreSQL stores all run this suite unchanged.
///
/// Run it from any test framework. With Swift Testing, one parameterised test covers it all:
///
/// ```swift
/// import TaskStoreConformance
/// import Testing
///
/// let harness = StoreHarness(name: "redis") {
///     let prefix = "test-\(UUID())"                      // a fresh, empty backend per check
///     return StoreHarness.Backend(open: { try await RedisTaskStore(prefix: prefix) })
/// }
///
/// @Test(arguments: TaskStoreConformance.checks)
/// func conformance(check: StoreCheck) async throws {
///     try await check.run(on: harness)
/// }
/// ```
///
/// Or all at once: `try await TaskStoreConformance.runAll(on: harness)` throws a
/// ``ConformanceReport`` listing every failed check.
public enum TaskStoreConformance {
    /// Every check, grouped by area in this order: records, batch inserts, claiming, queries, retention,
    /// unique keys, schedule ticks, pauses, settings, notifications (when declared), then the engine (service, pool and scheduler) running on the
    /// store.
    public static let checks: [StoreCheck] =
        RecordChecks.all + BatchInsertChecks.all + RoundTripChecks.all + ClaimChecks.all + QueryChecks.all
        + RetentionChecks.all
        + UniqueKeyChecks.all + ScheduleTickChecks.all + PauseChecks.all + SettingsChecks.all
        + NotificationChecks.all
        + EngineChecks.all + ClaimSemanticsChecks.all

    /// Runs every check (or those whose name starts with `prefix`) against fresh backends from
    /// `harness`, one after another.
    ///
    /// - Throws: ``ConformanceReport`` naming each failed check and why.
    public static func runAll(on harness: StoreHarness, namePrefix prefix: String = "") async throws {
        var failures: [ConformanceReport.Failure] = []
        for check in checks where check.name.hasPrefix(prefix) {
            do {
                try await check.run(on: harness)
            } catch {
                failures.append(ConformanceReport.Failure(check: check.name, error: error))
            }
        }
        if !failures.isEmpty { throw ConformanceReport(store: harness.name, failures: failures) }
    }
}

/// Every check that failed in a ``TaskStoreConformance/runAll(on:namePrefix:)`` run.
public struct ConformanceReport: Error, CustomStringConvertible {
    /// One failed check.
    public struct Failure: Sendable {
        /// The check's name.
        public let check: String
        /// What it threw: usually a ``ConformanceFailure``.
        public let error: any Error
    }

    /// The harness's name.
    public let store: String
    /// The failed checks, in suite order.
    public let failures: [Failure]

    /// One line per failed check.
    public var description: String {
        let lines = failures.map { "- \($0.check): \($0.error)" }
        return "\(failures.count) conformance check(s) failed for store '\(store)':\n"
            + lines.joined(separator: "\n")
    }
}
