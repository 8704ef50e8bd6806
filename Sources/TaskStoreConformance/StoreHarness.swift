import Foundation
import Taskworks

/// How the conformance suite gets stores to check: a name and a way to make a fresh, empty
/// backend. Every check makes its own backend, so checks never see each other's tasks.
///
/// ```swift
/// let harness = StoreHarness(name: "file") {
///     let directory = try makeEmptyDirectory()
///     return StoreHarness.Backend(open: { try await FileTaskStore(directory: directory) })
/// }
/// ```
public struct StoreHarness: Sendable, CustomStringConvertible {
    /// A fresh, empty backend: the place tasks live (a directory, a database schema…) and how
    /// to open a store on it.
    public struct Backend: Sendable {
        /// Opens a store on this backend. The suite calls it once per check, and again when a
        /// check plays a second process or host sharing the same backend; each call must
        /// return a store that sees what the others wrote (an in-memory store may return the
        /// same instance every time).
        public let open: @Sendable () async throws -> any TaskStore
        /// Called once after the check, pass or fail: close the stores `open` made and delete
        /// the backend.
        public let tearDown: @Sendable () async -> Void

        /// Makes a backend from its `open` and `tearDown`.
        public init(
            open: @escaping @Sendable () async throws -> any TaskStore,
            tearDown: @escaping @Sendable () async -> Void = {}
        ) {
            self.open = open
            self.tearDown = tearDown
        }
    }

    /// Names the store in failure reports.
    public let name: String
    /// Makes a new, empty backend.
    public let makeBackend: @Sendable () async throws -> Backend

    /// Makes a harness.
    public init(name: String, makeBackend: @escaping @Sendable () async throws -> Backend) {
        self.name = name
        self.makeBackend = makeBackend
    }

    /// The harness's name.
    public var description: String { name }
}
