import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks
@testable import TaskworksHTTP

/// `GET /events`: server-sent events a console can rely on. Each caller gets only what it may
/// see, reconnecting with the last id replays exactly what was missed, and an id that cannot be
/// resumed gets a snapshot.
@Suite("HTTP event stream")
struct EventStreamTests {
    /// One server-sent event: its id, its name and its data line.
    struct Frame: Sendable, Equatable {
        var id: String?
        var event: String?
        var data: String?
    }

    /// Reads the stream until `done` holds for the frames so far, within a deadline; a comment
    /// line (a heartbeat) counts as a frame whose event is `comment:` and the comment.
    static func frames(
        _ response: TaskHTTPResponse, timeout: Duration = .seconds(30),
        until done: @escaping @Sendable ([Frame]) -> Bool
    ) async throws -> [Frame] {
        guard case .stream(let chunks) = response.body else {
            Issue.record("not a stream: \(response.status) \(response.jsonText ?? "")")
            return []
        }
        return try await withThrowingTaskGroup(of: [Frame]?.self) { group in
            group.addTask {
                var text = ""
                var frames: [Frame] = []
                for try await chunk in chunks {
                    text += String(decoding: chunk, as: UTF8.self)
                    while let end = text.range(of: "\n\n") {
                        var frame = Frame()
                        for line in text[..<end.lowerBound].split(separator: "\n") {
                            if line.hasPrefix("id: ") { frame.id = String(line.dropFirst(4)) }
                            if line.hasPrefix("event: ") { frame.event = String(line.dropFirst(7)) }
                            if line.hasPrefix("data: ") { frame.data = String(line.dropFirst(6)) }
                            if line.hasPrefix(": ") { frame.event = "comment:" + line.dropFirst(2) }
                        }
                        text.removeSubrange(..<end.upperBound)
                        // A block of only `retry:` sets the reconnect delay; no event is dispatched.
                        guard frame != Frame() else { continue }
                        frames.append(frame)
                        if done(frames) { return frames }
                    }
                }
                return frames
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard case let frames?? = try await group.next() else {
                throw DeadlineExceeded(what: "event frames", timeout: timeout)
            }
            return frames
        }
    }

    static func open(
        _ api: TaskHTTPAPI, as caller: Caller, lastEventID: String? = nil
    ) async -> TaskHTTPResponse {
        await api.handle(
            TaskHTTPRequest(
                method: "GET", path: "/api/events",
                headers: ["Accept": "text/event-stream"].merging(
                    lastEventID.map { ["Last-Event-ID": $0] } ?? [:]
                ) {
                    $1
                }, caller: caller))
    }

    static func service() throws -> TaskService {
        TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
    }

    static func taskID(of frame: Frame) -> String? {
        guard let data = frame.data, let value = try? JSONValue(jsonText: data),
            case .string(let id)? = value["task"]?["id"]
        else { return nil }
        return id
    }

    @Test func aStreamCarriesOnlyTheEventsOfTasksTheCallerSees() async throws {
        let service = try EventStreamTests.service()
        let api = TaskHTTPAPI(service: service)
        let alice = await EventStreamTests.open(api, as: .user("alice"))
        let admin = await EventStreamTests.open(api, as: .admin("root"))
        #expect(alice.status == 200)
        #expect(alice.headers["Content-Type"]?.hasPrefix("text/event-stream") == true)
        let bobs = try await service.create("noop", createdBy: .user("bob"))
        let alices = try await service.create("noop", createdBy: .user("alice"))
        // Bob's task was created first: had it leaked, it would come before Alice's.
        let seenByAlice = try await EventStreamTests.frames(alice) { frames in
            frames.contains { EventStreamTests.taskID(of: $0) == alices.id.description }
        }
        #expect(seenByAlice.first?.event == "snapshot")
        let aliceIDs = seenByAlice.compactMap(EventStreamTests.taskID(of:))
        #expect(aliceIDs == [alices.id.description])
        let created = try #require(seenByAlice.last?.data.flatMap { try? JSONValue(jsonText: $0) })
        #expect(created["kind"] == .string("created"))
        #expect(created["task"]?["createdBy"] == .string("alice"))
        let seenByAdmin = try await EventStreamTests.frames(admin) { frames in
            frames.contains { EventStreamTests.taskID(of: $0) == alices.id.description }
        }
        #expect(
            seenByAdmin.compactMap(EventStreamTests.taskID(of:)) == [
                bobs.id.description, alices.id.description,
            ])
    }

    @Test func reconnectingWithTheLastIDReplaysExactlyWhatWasMissed() async throws {
        let service = try EventStreamTests.service()
        let api = TaskHTTPAPI(service: service)
        let first = await EventStreamTests.open(api, as: .user("alice"))
        let before = try await service.create("noop", createdBy: .user("alice"))
        let seen = try await EventStreamTests.frames(first) { frames in
            frames.contains { EventStreamTests.taskID(of: $0) == before.id.description }
        }
        let lastID = try #require(seen.last?.id)
        // Disconnected (the read above ended): two tasks are created and one is cancelled.
        let missedOne = try await service.create("noop", createdBy: .user("alice"))
        let missedTwo = try await service.create("noop", createdBy: .user("alice"))
        _ = try await service.cancel(missedOne.id, as: .user("alice"))
        let again = await EventStreamTests.open(api, as: .user("alice"), lastEventID: lastID)
        let replayed = try await EventStreamTests.frames(again) { $0.count >= 3 }
        #expect(!replayed.contains { $0.event == "snapshot" })
        #expect(
            replayed.compactMap(EventStreamTests.taskID(of:))
                == [missedOne.id.description, missedTwo.id.description, missedOne.id.description])
        let numbers = replayed.compactMap { $0.id?.split(separator: "-").last.flatMap { UInt64($0) } }
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count)
    }

    @Test(arguments: ["nope", "0-1", "ffffffff-99999", "", "a-b-c"])
    func anIDThatCannotBeResumedGetsASnapshot(_ lastEventID: String) async throws {
        let api = TaskHTTPAPI(service: try EventStreamTests.service())
        let response = await EventStreamTests.open(api, as: .user("alice"), lastEventID: lastEventID)
        let frames = try await EventStreamTests.frames(response) { !$0.isEmpty }
        #expect(frames.first?.event == "snapshot")
        #expect(frames.first?.id?.hasPrefix(api.eventJournal.epoch + "-") == true)
    }

    @Test func anIdleStreamSendsHeartbeats() async throws {
        let api = TaskHTTPAPI(
            service: try EventStreamTests.service(), configuration: .init(eventHeartbeat: .milliseconds(20)))
        let response = await EventStreamTests.open(api, as: .user("alice"))
        let frames = try await EventStreamTests.frames(response) { frames in
            frames.filter { $0.event == "comment:heartbeat" }.count >= 2
        }
        #expect(frames.first?.event == "snapshot")
    }

    @Test func aDeletionReachesTheOwnerSoItsViewsDropTheTask() async throws {
        let service = try EventStreamTests.service()
        let api = TaskHTTPAPI(service: service)
        let task = try await service.create("noop", createdBy: .user("alice"))
        let stream = await EventStreamTests.open(api, as: .user("alice"))
        try await service.delete(task.id, as: .user("alice"))
        let frames = try await EventStreamTests.frames(stream) { frames in
            frames.contains { $0.data?.contains(#""kind":"deleted""#) == true }
        }
        #expect(frames.compactMap(EventStreamTests.taskID(of:)) == [task.id.description])
    }

    @Test func theJournalKeepsOnlyItsCapacityAndSaysWhenAGapCannotBeFilled() throws {
        let journal = TaskEventJournal(capacity: 3)
        let task = Sample.record(type: "noop")
        for _ in 0..<5 { journal.append(TaskEvent(kind: .progress, task: task)) }
        let epoch = journal.epoch
        #expect(journal.subscribe(after: "\(epoch)-1").missed == nil)  // 2 is gone
        #expect(journal.subscribe(after: "\(epoch)-2").missed?.map(\.sequence) == [3, 4, 5])
        #expect(journal.subscribe(after: "\(epoch)-5").missed?.isEmpty == true)
        #expect(journal.subscribe(after: "\(epoch)-6").missed == nil)  // not yet written
        #expect(journal.subscribe(after: nil).position == "\(epoch)-5")
    }

    @Test func aCallerWithoutListingIsRefusedTheStream() async throws {
        var configuration = TaskService.Configuration()
        configuration.authorization = RoleBasedTaskPolicy(roles: ["nobody": .init(permissions: [])])
        let service = TaskService(
            store: InMemoryTaskStore(), registry: try Sample.registry(), configuration: configuration)
        let api = TaskHTTPAPI(service: service)
        let response = await EventStreamTests.open(api, as: .user("alice", roles: ["nobody"]))
        #expect(response.status == 403)
    }

    @Test(arguments: [nil, "application/json", "*/*", "text/html"])
    func aClientThatDoesNotAskForAStreamGets406NotAStreamThatNeverEnds(_ accept: String?) async throws {
        let api = TaskHTTPAPI(service: try EventStreamTests.service())
        let response = await api.handle(
            TaskHTTPRequest(
                method: "GET", path: "/api/events", headers: accept.map { ["Accept": $0] } ?? [:],
                caller: .user("alice")))
        #expect(response.status == 406)
        #expect(response.jsonText?.contains("text/event-stream") == true)
    }
}
