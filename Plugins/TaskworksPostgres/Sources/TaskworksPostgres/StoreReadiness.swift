#if Postgres
    import Foundation
    import Taskworks

    /// Whether the store's schema is migrated and statements may run: at once for a store opened
    /// with `init(configuration:)`; once `run()` has connected and migrated for a store whose client
    /// the host runs in its `ServiceGroup`. Statements issued before then wait here, with a deadline.
    final class StoreReadiness: Sendable {
        private enum State {
            case waiting([UUID: CheckedContinuation<Void, any Error>])
            case ready(appliedMigrations: [Int])
            case failed(any Error)
        }

        private let state: LockedState<State>

        /// A gate that is open from the start (the migrations ran before the store was handed out).
        init(readyWith appliedMigrations: [Int]) {
            state = LockedState(.ready(appliedMigrations: appliedMigrations))
        }

        /// A gate that opens on ``open(appliedMigrations:)`` or fails on ``fail(_:)``.
        init() {
            state = LockedState(.waiting([:]))
        }

        /// The migrations applied when the gate opened (empty before).
        var appliedMigrations: [Int] {
            state.withLock { state in
                if case .ready(let applied) = state { return applied }
                return []
            }
        }

        /// Whether the gate has neither opened nor failed yet.
        var isWaiting: Bool {
            state.withLock { state in
                if case .waiting = state { return true }
                return false
            }
        }

        func open(appliedMigrations: [Int]) {
            resumeAll(becoming: .ready(appliedMigrations: appliedMigrations), with: .success(()))
        }

        func fail(_ error: any Error) {
            resumeAll(becoming: .failed(error), with: .failure(error))
        }

        private func resumeAll(becoming next: State, with result: Result<Void, any Error>) {
            let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
                guard case .waiting(let waiters) = state else { return [] }
                state = next
                return Array(waiters.values)
            }
            for waiter in waiters { waiter.resume(with: result) }
        }

        /// Returns once the store is ready; throws what opening it failed with, or a
        /// ``TaskworksError/Code/storageFailure`` after `limit` when `run()` never got there.
        func wait(limit: Duration) async throws {
            switch state.withLock({ $0 }) {
            case .ready: return
            case .failed(let error): throw error
            case .waiting: break
            }
            let id = UUID()
            let timer = LockedState<Task<Void, Never>?>(nil)
            defer { timer.withLock { $0 }?.cancel() }
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    switch state {
                    case .ready: return .success(())
                    case .failed(let error): return .failure(error)
                    case .waiting(var waiters):
                        waiters[id] = continuation
                        state = .waiting(waiters)
                        return nil
                    }
                }
                if let outcome {
                    continuation.resume(with: outcome)
                    return
                }
                // Started once the waiter is registered, so the timer always finds it (or its result).
                timer.withLock { $0 = Task { [self] in await expire(id, after: limit) } }
            }
        }

        /// Fails waiter `id` after `limit`, unless the gate opened or failed first.
        private func expire(_ id: UUID, after limit: Duration) async {
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled else { return }
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard case .waiting(var waiters) = state else { return nil }
                let waiter = waiters.removeValue(forKey: id)
                state = .waiting(waiters)
                return waiter
            }
            waiter?.resume(
                throwing: TaskworksError(
                    code: .storageFailure,
                    message: "the PostgreSQL store was not ready within \(limit): its run() has not "
                        + "connected and migrated yet; add the store to your ServiceGroup (or open it with "
                        + "PostgresTaskStore(configuration:)) and check that the server accepts connections"))
        }
    }
#endif  // Postgres
