import Foundation
import Taskworks

/// The recent task events of one ``TaskHTTPAPI``, numbered, for its server-sent-events route:
/// a stream that reconnects with the last number it saw gets exactly the events it missed, as
/// long as they are still among the newest ``capacity``; otherwise it is told to reload.
///
/// One subscription to the engine's events (every task, no caller) feeds it, started by the
/// first stream and ended with the API. Each stream filters what it forwards by its own caller.
final class TaskEventJournal: Sendable {
    /// One numbered event.
    struct Entry: Sendable {
        var sequence: UInt64
        var event: TaskEvent
    }

    /// A stream's start: the events after the number it gave (or `nil` when some of them are
    /// gone, or the number is of another journal), then the live ones.
    struct Subscription: Sendable {
        var missed: [Entry]?
        /// The id of the newest event when the stream started (where a snapshot stands).
        var position: String
        var live: AsyncStream<Entry>
        var end: @Sendable () -> Void
    }

    private struct State {
        var entries: [Entry] = []
        var nextSequence: UInt64 = 1
        var subscribers: [UInt64: AsyncStream<Entry>.Continuation] = [:]
        var nextSubscriber: UInt64 = 0
        var pump: Task<Void, Never>?
    }

    /// Identifies this journal in event ids (`EPOCH-SEQUENCE`), so an id from before a restart is
    /// never taken for one of this journal's numbers.
    let epoch: String
    /// How many recent events are kept for reconnecting streams.
    let capacity: Int
    private let state = LockedState(State())

    init(capacity: Int = 1_024) {
        self.capacity = max(1, capacity)
        epoch = String(UInt32.random(in: .min ... .max), radix: 16)
    }

    deinit {
        let (pump, subscribers) = state.withLock { state in
            defer { state.subscribers = [:] }
            return (state.pump, Array(state.subscribers.values))
        }
        pump?.cancel()
        for continuation in subscribers { continuation.finish() }
    }

    /// Starts feeding from `service`'s events unless already fed.
    func start(from service: TaskService) {
        state.withLock { state in
            guard state.pump == nil else { return }
            let events = service.everyEvent(bufferSize: capacity)
            state.pump = Task { [weak self] in
                for await event in events {
                    guard let self else { return }
                    self.append(event)
                }
            }
        }
    }

    func append(_ event: TaskEvent) {
        state.withLock { state in
            let entry = Entry(sequence: state.nextSequence, event: event)
            state.nextSequence += 1
            state.entries.append(entry)
            if state.entries.count > capacity { state.entries.removeFirst(state.entries.count - capacity) }
            for continuation in state.subscribers.values { continuation.yield(entry) }
        }
    }

    /// Subscribes, with the events after `lastEventID` (an id this journal wrote) when they are
    /// all still kept. The missed events and the live ones meet without a gap or a repeat.
    func subscribe(after lastEventID: String?, bufferSize: Int = 1_024) -> Subscription {
        let (live, continuation) = AsyncStream<Entry>.makeStream(
            bufferingPolicy: .bufferingNewest(max(1, bufferSize)))
        let (number, missed, newest): (UInt64, [Entry]?, UInt64) = state.withLock { state in
            let number = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[number] = continuation
            return (number, missedEntries(after: lastEventID, in: state), state.nextSequence - 1)
        }
        // Finishing outside the lock: a finish calls `onTermination`, which calls `end` again.
        let end: @Sendable () -> Void = { [weak self] in
            let removed = self?.state.withLock { state in state.subscribers.removeValue(forKey: number) }
            removed?.finish()
        }
        continuation.onTermination = { _ in end() }
        return Subscription(missed: missed, position: "\(epoch)-\(newest)", live: live, end: end)
    }

    /// Ends every open subscription (their streams end); later ones work as before.
    func finishSubscriptions() {
        let open = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in open { continuation.finish() }
    }

    /// The id of `entry` as streams send it.
    func id(of entry: Entry) -> String { "\(epoch)-\(entry.sequence)" }

    private func missedEntries(after lastEventID: String?, in state: State) -> [Entry]? {
        guard let lastEventID else { return nil }
        let parts = lastEventID.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == epoch, let seen = UInt64(parts[1]), seen < state.nextSequence
        else { return nil }
        // Every event after `seen` must still be kept.
        let oldestKept = state.entries.first?.sequence ?? state.nextSequence
        guard seen + 1 >= oldestKept else { return nil }
        return state.entries.filter { $0.sequence > seen }
    }
}
