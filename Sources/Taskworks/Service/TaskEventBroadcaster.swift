/// Fans task events out to any number of `AsyncStream`s, each filtered by its caller's
/// visibility. Publishing with no subscribers costs one lock.
final class TaskEventBroadcaster: Sendable {
    private struct Subscriber {
        let caller: Caller
        let continuation: AsyncStream<TaskEvent>.Continuation
    }

    private struct State {
        var nextID: UInt64 = 0
        var subscribers: [UInt64: Subscriber] = [:]
    }

    private let state = LockedState(State())

    init() {}

    func subscribe(_ caller: Caller, bufferSize: Int) -> AsyncStream<TaskEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: TaskEvent.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(caller: caller, continuation: continuation)
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ kind: TaskEvent.Kind, _ task: TaskRecord) {
        let targets = state.withLock { state -> [AsyncStream<TaskEvent>.Continuation] in
            guard !state.subscribers.isEmpty else { return [] }
            return state.subscribers.values.compactMap { subscriber in
                subscriber.caller.seesEveryTask || subscriber.caller.creatorID == task.createdBy
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
        for continuation in all { continuation.finish() }
    }
}
