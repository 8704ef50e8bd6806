import Synchronization

/// Fans task events out to any number of `AsyncStream`s, each filtered by its caller's
/// visibility. Publishing with no subscribers costs one lock.
final class TaskEventBroadcaster: Sendable {
    private struct Subscriber {
        /// The only creator whose tasks it sees, or `nil` for every creator.
        let creator: String?
        let continuation: AsyncStream<TaskEvent>.Continuation
    }

    private struct State {
        var nextID: UInt64 = 0
        var subscribers: [UInt64: Subscriber] = [:]
    }

    private let state = LockedState(State())
    /// Open streams, so publishing with none costs one atomic load instead of a lock.
    private let subscriberCount = Atomic<Int>(0)

    init() {}

    func subscribe(creator: String?, bufferSize: Int) -> AsyncStream<TaskEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: TaskEvent.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(creator: creator, continuation: continuation)
            return state.nextID
        }
        subscriberCount.add(1, ordering: .sequentiallyConsistent)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            let removed = self.state.withLock { $0.subscribers.removeValue(forKey: id) != nil }
            if removed { self.subscriberCount.subtract(1, ordering: .sequentiallyConsistent) }
        }
        return stream
    }

    func publish(_ kind: TaskEvent.Kind, _ task: TaskRecord) {
        guard subscriberCount.load(ordering: .sequentiallyConsistent) > 0 else { return }
        let targets = state.withLock { state -> [AsyncStream<TaskEvent>.Continuation] in
            guard !state.subscribers.isEmpty else { return [] }
            return state.subscribers.values.compactMap { subscriber in
                subscriber.creator == nil || subscriber.creator == task.createdBy
                    ? subscriber.continuation : nil
            }
        }
        guard !targets.isEmpty else { return }
        let event = TaskEvent(kind: kind, task: task)
        for continuation in targets { continuation.yield(event) }
    }

    func finishAll() {
        let all = state.withLock { state in
            defer { state.subscribers.removeAll() }
            return state.subscribers.values.map(\.continuation)
        }
        subscriberCount.subtract(all.count, ordering: .sequentiallyConsistent)
        for continuation in all { continuation.finish() }
    }
}
