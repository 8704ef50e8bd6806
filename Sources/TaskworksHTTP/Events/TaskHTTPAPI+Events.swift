import Foundation
import Taskworks

/// `GET /events`: the caller's task events as server-sent events (`text/event-stream`), for
/// requests that accept `text/event-stream` (others get 406).
///
/// Each event is `id: EPOCH-N`, `event: task` and one line of JSON data,
/// `{"kind": "progress", "task": {…}}`, for a task the caller sees and may view. A comment line
/// every ``TaskHTTPAPI/Configuration/eventHeartbeat`` keeps proxies from closing an idle stream.
/// A stream that reconnects with `Last-Event-ID` (or `?lastEventId=`) first gets the events it
/// missed; when they are no longer kept (or the server restarted) it gets one
/// `event: snapshot`, meaning "reload what you show", and continues from there.
extension TaskHTTPAPI {
    static func events(
        _ input: TaskHTTPRouteRequest, journal: TaskEventJournal, heartbeat: Duration
    ) async throws -> TaskHTTPResponse {
        let caller = try input.signedInCaller().validated()
        let service = input.service
        try service.authorize(.list, as: caller)
        // A stream stays open: only a client that asks for one (as EventSource does) gets it, so a
        // client expecting a reply it can read to the end is not left waiting forever.
        guard input.request.header("Accept")?.lowercased().contains("text/event-stream") == true else {
            throw TaskHTTPError(
                status: 406, code: "notAcceptable",
                message: "GET /events answers a stream that stays open; send Accept: text/event-stream "
                    + "(as EventSource does) to open it")
        }
        journal.start(from: service)
        let lastEventID = input.request.header("Last-Event-ID") ?? input.request.queryValue("lastEventId")
        let subscription = journal.subscribe(after: lastEventID)
        let chunks = ArtifactChunks(bufferingPolicy: .bufferingNewest(1_024)) { continuation in
            let pump = Task {
                var opening = Array("retry: 3000\n\n".utf8)
                if let missed = subscription.missed {
                    for entry in missed where service.streams(entry.event, to: caller) {
                        appendFrame(entry, journal: journal, to: &opening)
                    }
                } else {
                    opening += "id: \(subscription.position)\nevent: snapshot\ndata: {}\n\n".utf8
                }
                continuation.yield(opening)
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await entry in subscription.live where service.streams(entry.event, to: caller) {
                            var frame: [UInt8] = []
                            appendFrame(entry, journal: journal, to: &frame)
                            continuation.yield(frame)
                        }
                    }
                    group.addTask {
                        while (try? await Task.sleep(for: heartbeat)) != nil {
                            continuation.yield(Array(": heartbeat\n\n".utf8))
                        }
                    }
                    await group.next()
                    group.cancelAll()
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in
                pump.cancel()
                subscription.end()
            }
        }
        return TaskHTTPResponse(
            status: 200,
            headers: [
                "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
            ], body: .stream(chunks))
    }

    private static func appendFrame(
        _ entry: TaskEventJournal.Entry, journal: TaskEventJournal, to bytes: inout [UInt8]
    ) {
        bytes += "id: \(journal.id(of: entry))\nevent: task\ndata: ".utf8
        var object = JSONObjectWriter(appendingTo: &bytes)
        object.string("kind", entry.event.kind.rawValue)
        object.key("task")
        TaskJSON.append(entry.event.task, to: &object.bytes)
        bytes = object.finish()
        bytes += "\n\n".utf8
    }
}

extension TaskService {
    /// Whether `caller`'s event stream carries `event`: the task is the caller's (or the caller
    /// sees every task) and the policy lets the caller view it. A deletion is carried to those who
    /// saw the task, so their views drop it.
    func streams(_ event: TaskEvent, to caller: Caller) -> Bool {
        let task = event.task
        guard task.createdBy == caller.creatorID || configuration.authorization.seesEveryTask(caller) else {
            return false
        }
        guard event.kind == .deleted || task.deletedAt == nil else { return false }
        return configuration.authorization.allows(.view, by: caller, on: task)
    }
}
