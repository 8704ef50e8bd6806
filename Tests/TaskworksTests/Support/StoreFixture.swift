import Taskworks
import Testing

/// A way to make a fresh, empty store of one kind. Every store contract test runs once per
/// fixture in `all`; a new store joins the suite by adding its fixture here.
struct StoreFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () async throws -> any TaskStore

    var testDescription: String { name }

    static let memory = StoreFixture(name: "memory") { InMemoryTaskStore() }

    static let all: [StoreFixture] = [.memory]
}
