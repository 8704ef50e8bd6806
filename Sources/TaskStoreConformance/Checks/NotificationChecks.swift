import Foundation
import Taskworks
import TaskworksTesting

/// Work-available notifications, for a store that declares them (`WorkAvailableNotifyingStore`,
/// its `workAvailableNotifications()` not `nil`); a store without them passes.
enum NotificationChecks {
    static let all: [StoreCheck] = [
        StoreCheck("notifications.aTaskCreatedOnAnotherHandleIsAnnounced", requires: .notifications) {
            context in
            let notifier = try require(
                StoreCapabilities(of: context.store).notifications, "a notifying store")
            guard let notifications = notifier.workAvailableNotifications() else { return }
            let other = try await context.openAnotherHandle()
            let inserter = Task { () async throws -> Void in
                // Until the listener hears one: its subscription may start after the first insert.
                for _ in 0..<200 {
                    _ = try await other.insert(Sample.record())
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            defer { inserter.cancel() }
            let heard: [Void] = try await collect(
                "a notification after inserts on another handle", from: notifications, timeout: .seconds(10)
            ) { $0.count >= 1 }
            try expectEqual(heard.count, 1, "notifications heard")
        }
    ]
}
