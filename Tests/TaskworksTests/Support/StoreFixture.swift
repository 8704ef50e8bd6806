import Foundation
import Taskworks
import Testing

/// A way to make a fresh, empty store of one kind. Every store contract test runs once per
/// fixture in `all`; a new store joins the suite by adding its fixture here.
struct StoreFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () async throws -> any TaskStore

    var testDescription: String { name }

    static let memory = StoreFixture(name: "memory") { InMemoryTaskStore() }

    static let file = StoreFixture(name: "file") {
        try await FileTaskStore(directory: TemporaryDirectory.make().path)
    }

    static let all: [StoreFixture] = [.memory, .file]
}

/// Fresh directories under the system temporary directory, one per store under test.
enum TemporaryDirectory {
    static let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("taskworks-tests-\(ProcessInfo.processInfo.processIdentifier)")

    /// Makes a new empty directory (mode 0700).
    static func make() throws -> URL {
        let url = root.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return url
    }
}
