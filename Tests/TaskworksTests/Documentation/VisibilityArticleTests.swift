import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Visibility and permissions*, compiled and run.
@Suite("Article: Visibility and permissions")
struct VisibilityArticleTests {
    @Test func anotherCreatorsTaskIsNotFoundAndAnAdminSeesIt() async throws {
        let registry = TaskRegistry()
        try registry.register("report") { _ in ClosureTaskRunner { _ in nil } }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)
        _ = try await service.create("report", createdBy: .user("alice"))
        // readme:begin visibility-callers
        let bobs = try await service.create("report", createdBy: .user("bob"))
        let seen = try await service.task(bobs.id, as: .admin("ops"))  // admins see every task
        let alicesPage = try await service.list(TaskQuery(createdBy: "bob"), as: .user("alice"))
        // alicesPage holds alice's own tasks only: a user's creator filter is always their own id.
        do {
            _ = try await service.task(bobs.id, as: .user("alice"))
        } catch let error as TaskworksError where error.code == .taskNotFound {
            // the same error, with the same message, as for an id that does not exist
        }
        // readme:end visibility-callers
        #expect(seen.createdBy == "bob")
        #expect(alicesPage.items.map(\.createdBy) == ["alice"])
        let unknown = TaskID()
        let hidden = await #expect(throws: TaskworksError.self) {
            try await service.task(bobs.id, as: .user("alice"))
        }
        let missing = await #expect(throws: TaskworksError.self) {
            try await service.task(unknown, as: .user("alice"))
        }
        #expect(hidden?.code == .taskNotFound)
        #expect(
            hidden?.message.replacingOccurrences(of: bobs.id.string, with: "ID")
                == missing?.message.replacingOccurrences(of: unknown.string, with: "ID"))
    }

    @Test func aRoleTableDecidesWhatEachCallerMayDo() async throws {
        let registry = TaskRegistry()
        try registry.register("user_export") { _ in ClosureTaskRunner { _ in nil } }
        let store = InMemoryTaskStore()
        // readme:begin visibility-roles
        let exportPermission: TaskPermission = "authorization:user:export"
        try registry.requirePermission(exportPermission, toCreate: "user_export")
        var configuration = TaskService.Configuration()
        configuration.authorization = RoleBasedTaskPolicy(roles: [
            "admin": .init(
                permissions: RoleBasedTaskPolicy.everyTaskPermission.union([exportPermission]),
                seesEveryTask: true),
            "operator": .init(permissions: [
                .list, .view, .cancel, .retry, .pause, .download, exportPermission,
            ]),
            "viewer": .init(permissions: [.list, .view, .download]),
        ])
        let service = TaskService(store: store, registry: registry, configuration: configuration)
        // readme:end visibility-roles
        let alice = Caller.user("alice", roles: ["operator"])
        let carol = Caller.user("carol", roles: ["viewer"])
        let export = try await service.create("user_export", createdBy: alice)
        let refusedCreate = await #expect(throws: TaskworksError.self) {
            try await service.create("user_export", createdBy: carol)
        }
        #expect(refusedCreate?.code == .permissionDenied)
        #expect(refusedCreate?.message.contains("authorization:user:export") == true)
        // Visibility first: carol gets not-found for alice's task, whatever her role allows.
        let hidden = await #expect(throws: TaskworksError.self) {
            try await service.cancel(export.id, as: carol)
        }
        #expect(hidden?.code == .taskNotFound)
        #expect(try await service.cancel(export.id, as: alice).status == .cancelled)
        let admin = Caller.user("root", roles: ["admin"])
        #expect(try await service.task(export.id, as: admin).createdBy == "alice")
        let refusedSettings = await #expect(throws: TaskworksError.self) {
            try await service.updateSettings(TaskSettings(maxConcurrentTasks: 3), as: alice)
        }
        #expect(refusedSettings?.code == .permissionDenied)
    }
}
