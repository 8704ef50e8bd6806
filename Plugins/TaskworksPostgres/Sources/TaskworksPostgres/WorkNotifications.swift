#if Postgres
    import Foundation
    import Taskworks
    import Logging
    import PostgresNIO

    /// One LISTEN connection per store, fanned out to every pool that asked for signals. Opened on
    /// the first subscription; when the connection drops it is reopened with backoff, and each
    /// (re)connection signals once, since notifications sent while disconnected are lost.
    final class WorkNotifications: Sendable {
        private struct State {
            var subscribers: [UUID: AsyncStream<Void>.Continuation] = [:]
            var listener: Task<Void, Never>?
            var stopped = false
        }

        private let client: PostgresClient
        private let channel: String
        private let logger: Logger
        private let log: @Sendable (String) -> Void
        private let state = LockedState(State())
        /// Opens once the schema is migrated: the listener connects only then.
        private let readiness: StoreReadiness

        init(
            client: PostgresClient, channel: String, logger: Logger,
            log: @escaping @Sendable (String) -> Void,
            readiness: StoreReadiness
        ) {
            self.readiness = readiness
            self.client = client
            self.channel = channel
            self.logger = logger
            self.log = log
        }

        /// A new stream of wake-ups; `nil` after ``stop()``.
        func subscribe() -> AsyncStream<Void>? {
            let id = UUID()
            let (stream, continuation) = AsyncStream.makeStream(
                of: Void.self, bufferingPolicy: .bufferingNewest(1))
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.subscribers[id] = continuation
                if state.listener == nil {
                    state.listener = Task { [self] in await listen() }
                }
                return true
            }
            guard accepted else { return nil }
            continuation.onTermination = { [state] _ in
                _ = state.withLock { $0.subscribers.removeValue(forKey: id) }
            }
            return stream
        }

        /// Ends every stream and closes the LISTEN connection.
        func stop() {
            let (subscribers, listener) = state.withLock { state in
                state.stopped = true
                defer {
                    state.subscribers = [:]
                    state.listener = nil
                }
                return (Array(state.subscribers.values), state.listener)
            }
            listener?.cancel()
            for subscriber in subscribers { subscriber.finish() }
        }

        private func signalAll() {
            for subscriber in state.withLock({ Array($0.subscribers.values) }) { subscriber.yield() }
        }

        private func listen() async {
            var delay = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await readiness.wait(limit: .seconds(60))
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            delay = .milliseconds(100)
                            signalAll()  // whatever was sent while this connection was being made
                            for try await _ in notifications { signalAll() }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    log(
                        "LISTEN \(channel) lost its connection (\(PostgresTaskStore.summary(of: error))); "
                            + "reconnecting in \(delay); pools poll meanwhile")
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
#endif  // Postgres
