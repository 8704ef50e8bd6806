import Foundation
import Taskworks

/// One named check of the `TaskStore` contract. Run it with ``run(on:)``; it throws a
/// ``ConformanceFailure`` saying what the store did wrong.
public struct StoreCheck: Sendable, CustomStringConvertible {
    /// A store capability beyond the core contract that a check needs.
    enum Capability: Sendable {
        case scheduleTicks, typePauses, settings, notifications
    }

    /// A stable, dotted name such as `claim.highestPriorityThenOldest`.
    public let name: String
    /// The capability the check is about; a store that does not declare it passes without the
    /// check running.
    let capability: Capability?
    private let body: @Sendable (ConformanceContext) async throws -> Void

    init(
        _ name: String, requires capability: Capability? = nil,
        _ body: @escaping @Sendable (ConformanceContext) async throws -> Void
    ) {
        self.name = name
        self.capability = capability
        self.body = body
    }

    /// The check's name.
    public var description: String { name }

    /// Whether `store` declares `capability` (`nil`: the core, which every store has).
    static func declares(_ capability: Capability?, _ store: any TaskStore) -> Bool {
        let capabilities = StoreCapabilities(of: store)
        switch capability {
        case nil: return true
        case .scheduleTicks: return capabilities.scheduleTicks != nil
        case .typePauses: return capabilities.typePauses != nil
        case .settings: return capabilities.settings != nil
        case .notifications: return capabilities.notifications != nil
        }
    }

    /// Makes a fresh backend from `harness`, runs the check on it and tears the backend down. A
    /// check of a capability the store does not declare (schedule ticks, paused types, settings,
    /// notifications) passes without running.
    ///
    /// - Throws: ``ConformanceFailure`` when the store breaks the contract, or whatever the store
    ///   or harness threw.
    public func run(on harness: StoreHarness) async throws {
        let backend = try await harness.makeBackend()
        do {
            let store = try await backend.open()
            if StoreCheck.declares(capability, store) {
                try await body(ConformanceContext(store: store, backend: backend))
            }
        } catch {
            await backend.tearDown()
            throw error
        }
        await backend.tearDown()
    }
}

/// What a check works with: the store under test and a way to open more handles on the same
/// backend, as other processes or hosts would.
struct ConformanceContext: Sendable {
    let store: any TaskStore
    let backend: StoreHarness.Backend

    /// The read model the service would use on this store: the store's own when it declares one,
    /// otherwise `ScanningTaskReadModel` over its core. The query checks run against it, so a
    /// store's own read model and the default one are held to the same contract.
    var readModel: any TaskReadModel { readModelServing(store) }

    /// Another store on the same backend, as a second process would open it.
    func openAnotherHandle() async throws -> any TaskStore { try await backend.open() }
}

/// The read model a service over `store` answers lists, counts and recent tasks with.
func readModelServing(_ store: any TaskStore) -> any TaskReadModel {
    StoreCapabilities(of: store).readModel
}

/// `store`'s schedule ticks, or a failed check.
func scheduleTicks(_ store: any TaskStore) throws -> any TaskScheduleTickStore {
    try require(StoreCapabilities(of: store).scheduleTicks, "a handle that records schedule ticks")
}

/// `store`'s paused task types, or a failed check.
func typePauses(_ store: any TaskStore) throws -> any TaskTypePauseStore {
    try require(StoreCapabilities(of: store).typePauses, "a handle that keeps paused task types")
}

/// `store`'s shared settings, or a failed check.
func sharedSettings(_ store: any TaskStore) throws -> any TaskSettingsStore {
    try require(StoreCapabilities(of: store).settings, "a handle that keeps shared settings")
}
