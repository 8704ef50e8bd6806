import Foundation
import Taskworks

/// One named check of the `TaskStore` contract. Run it with ``run(on:)``; it throws a
/// ``ConformanceFailure`` saying what the store did wrong.
public struct StoreCheck: Sendable, CustomStringConvertible {
    /// A stable, dotted name such as `claim.highestPriorityThenOldest`.
    public let name: String
    private let body: @Sendable (ConformanceContext) async throws -> Void

    init(_ name: String, _ body: @escaping @Sendable (ConformanceContext) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// The check's name.
    public var description: String { name }

    /// Makes a fresh backend from `harness`, runs the check on it and tears the backend down.
    ///
    /// - Throws: ``ConformanceFailure`` when the store breaks the contract, or whatever the store
    ///   or harness threw.
    public func run(on harness: StoreHarness) async throws {
        let backend = try await harness.makeBackend()
        do {
            let store = try await backend.open()
            try await body(ConformanceContext(store: store, backend: backend))
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
    store.readModel ?? ScanningTaskReadModel(store: store)
}
