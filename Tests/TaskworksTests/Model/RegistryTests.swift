import Testing

@testable import Taskworks

@Suite("Registry")
struct RegistryTests {
    @Test(arguments: [
        "", "1abc", "_x", "has space", "slash/name", "ünïcode", String(repeating: "a", count: 101), "a\0b",
    ])
    func invalidTypeNamesAreRefused(name: String) {
        let registry = TaskRegistry()
        let error = #expect(throws: TaskworksError.self) {
            try registry.register(name) { _ in ClosureTaskRunner { _ in nil } }
        }
        #expect(error?.code == .invalidInput)
        #expect(registry.typeNames.isEmpty)
    }

    @Test(arguments: [
        "a", "user_export", "images.resize", "billing:invoice-v2", String(repeating: "a", count: 100),
    ])
    func validTypeNamesAreAccepted(name: String) throws {
        let registry = TaskRegistry()
        try registry.register(name) { _ in ClosureTaskRunner { _ in nil } }
        #expect(registry.contains(name))
    }

    @Test func registeringANameTwiceIsATypedError() throws {
        let registry = TaskRegistry()
        try registry.register("email") { _ in ClosureTaskRunner { _ in nil } }
        let error = #expect(throws: TaskworksError.self) {
            try registry.register("email") { _ in ClosureTaskRunner { _ in nil } }
        }
        #expect(error?.code == .duplicateTaskType)
    }

    @Test(arguments: [
        TaskTypeDefaults(maxRetries: -1), TaskTypeDefaults(maxRetries: 101), TaskTypeDefaults(priority: 0),
        TaskTypeDefaults(priority: 11), TaskTypeDefaults(timeout: .zero),
    ])
    func outOfRangeDefaultsAreRefused(defaults: TaskTypeDefaults) {
        let registry = TaskRegistry()
        #expect(throws: TaskworksError.self) {
            try registry.register("job", defaults: defaults) { _ in ClosureTaskRunner { _ in nil } }
        }
    }

    struct TwoTypes: TaskPlugin {
        let second: String
        func register(into registry: TaskRegistry) throws {
            try registry.register("plugin_a") { _ in ClosureTaskRunner { _ in nil } }
            try registry.register(second) { _ in ClosureTaskRunner { _ in nil } }
        }
    }

    @Test func pluginInstallIsAllOrNothing() throws {
        let registry = TaskRegistry()
        try registry.register("taken") { _ in ClosureTaskRunner { _ in nil } }
        #expect(throws: TaskworksError.self) { try registry.install(TwoTypes(second: "taken")) }
        #expect(registry.typeNames == ["taken"])
        #expect(throws: TaskworksError.self) { try registry.install(TwoTypes(second: "bad name")) }
        #expect(registry.typeNames == ["taken"])
        try registry.install(TwoTypes(second: "plugin_b"))
        #expect(registry.typeNames == ["plugin_a", "plugin_b", "taken"])
    }

    @Test func defaultsAreKeptPerType() throws {
        let registry = TaskRegistry()
        let defaults = TaskTypeDefaults(maxRetries: 7, timeout: .seconds(9), priority: 2)
        try registry.register("slow", defaults: defaults) { _ in ClosureTaskRunner { _ in nil } }
        #expect(registry.defaults(for: "slow") == defaults)
        #expect(registry.defaults(for: "other") == nil)
    }
}
