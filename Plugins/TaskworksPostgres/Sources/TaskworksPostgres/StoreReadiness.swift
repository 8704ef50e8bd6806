#if Postgres
    import Foundation
    import Taskworks

    /// Whether the store's schema is migrated and statements may run: at once for a store opened
    /// with `init(configuration:)`; once `run()` has connected and migrated for a store whose client
    /// the host runs in its `ServiceGroup`. Statements issued before then wait here, with a deadline.
    final class StoreReadiness: Sendable {
        /// Opens with the migrations applied, or with what opening the store failed with.
        private let latch: Latch<Result<[Int], any Error>>

        /// A gate that is open from the start (the migrations ran before the store was handed out).
        init(readyWith appliedMigrations: [Int]) {
            latch = Latch(opened: .success(appliedMigrations))
        }

        /// A gate that opens on ``open(appliedMigrations:)`` or fails on ``fail(_:)``.
        init() {
            latch = Latch()
        }

        /// The migrations applied when the gate opened (empty before, or after a failure).
        var appliedMigrations: [Int] {
            guard case .success(let applied) = latch.value else { return [] }
            return applied
        }

        /// Whether the gate has neither opened nor failed yet.
        var isWaiting: Bool { latch.value == nil }

        func open(appliedMigrations: [Int]) {
            latch.open(.success(appliedMigrations))
        }

        func fail(_ error: any Error) {
            latch.open(.failure(error))
        }

        /// Returns once the store is ready; throws what opening it failed with, or a
        /// `TaskworksError.Code.storageFailure` after `limit` when `run()` never got there.
        func wait(limit: Duration) async throws {
            guard let outcome = await latch.wait(timeout: limit, on: SystemTaskClock()) else {
                try Task.checkCancellation()
                throw TaskworksError(
                    code: .storageFailure,
                    message: "the PostgreSQL store was not ready within \(limit): its run() has not "
                        + "connected and migrated yet; add the store to your ServiceGroup (or open it with "
                        + "PostgresTaskStore(configuration:)) and check that the server accepts connections")
            }
            _ = try outcome.get()
        }
    }
#endif  // Postgres
