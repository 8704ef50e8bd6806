import Foundation

/// What a store can do beyond the core ``TaskStore`` contract, discovered once by conformance:
/// the store's own, or, for a ``ForwardingTaskStore`` that does not conform itself, its base's.
/// The ``ImmediateTaskStore`` hint is the store's own only: a wrapper may wait where its base
/// does not.
package struct StoreCapabilities: Sendable {
    /// The store's read model, or ``ScanningTaskReadModel`` over its core.
    package let readModel: any TaskReadModel
    package let scheduleTicks: (any TaskScheduleTickStore)?
    package let typePauses: (any TaskTypePauseStore)?
    package let settings: (any TaskSettingsStore)?
    package let notifications: (any WorkAvailableNotifyingStore)?
    /// The store itself declared ``ImmediateTaskStore``.
    package let writesNeverWait: Bool

    /// Discovers `store`'s capabilities.
    package init(of store: any TaskStore) {
        self.readModel =
            StoreCapabilities.find(in: store) { $0 as? any TaskReadModel }
            ?? ScanningTaskReadModel(store: store)
        self.scheduleTicks = StoreCapabilities.find(in: store) { $0 as? any TaskScheduleTickStore }
        self.typePauses = StoreCapabilities.find(in: store) { $0 as? any TaskTypePauseStore }
        self.settings = StoreCapabilities.find(in: store) { $0 as? any TaskSettingsStore }
        self.notifications = StoreCapabilities.find(in: store) { $0 as? any WorkAvailableNotifyingStore }
        self.writesNeverWait = store is any ImmediateTaskStore
    }

    /// The first of `store` and the bases it forwards to that `cast` accepts. Bounded, so a
    /// forwarding cycle cannot loop.
    private static func find<Capability>(
        in store: any TaskStore, _ cast: (any TaskStore) -> Capability?
    ) -> Capability? {
        var current = store
        for _ in 0..<64 {
            if let found = cast(current) { return found }
            guard let forwarding = current as? any ForwardingTaskStore else { return nil }
            current = forwarding.base
        }
        return nil
    }
}
