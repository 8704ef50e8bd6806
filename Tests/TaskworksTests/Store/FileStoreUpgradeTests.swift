import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("File store format upgrade")
struct FileStoreUpgradeTests {
    @Test(arguments: [false, true])
    func aVersionOneStoreOpensEqualAndIsUpgradedInPlace(tornTail: Bool) async throws {
        let directory = try TemporaryDirectory.make()
        let (snapshot, journal) = VersionOneStore.sample()
        let expected = try VersionOneStore.write(
            to: directory, snapshotTasks: snapshot, journalTasks: journal, tornTail: tornTail)
        let store = try await FileTaskStore(directory: directory.path)
        for (id, task) in expected { #expect(try await store.task(id: id) == task) }
        #expect(store.openWarnings.contains { $0.contains("upgraded") })
        #expect(store.openWarnings.contains { $0.contains("torn") } == tornTail)
        let added = try await store.insert(Fixtures.record())
        await store.close()

        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["journal-2.jsonl", "lock", "snapshot.json"])
        let snapshotBytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent("snapshot.json")))
        let firstRecord = snapshotBytes.withUnsafeBytes { FileStoreFrame.scan($0, at: 0) }
        guard case .frame = firstRecord else {
            Issue.record("the upgraded snapshot does not start with a frame: \(firstRecord)")
            return
        }
        let again = try await FileTaskStore(directory: directory.path)
        #expect(again.openWarnings.isEmpty)
        for (id, task) in expected { #expect(try await again.task(id: id) == task) }
        #expect(try await again.task(id: added.id) == added)
        await again.close()
    }

    @Test func aDamagedVersionOneLineIsStillAnErrorThatChangesNothing() async throws {
        let directory = try TemporaryDirectory.make()
        let (snapshot, journal) = VersionOneStore.sample()
        try VersionOneStore.write(to: directory, snapshotTasks: snapshot, journalTasks: journal)
        let journalURL = directory.appendingPathComponent("journal-1.jsonl")
        let intact = try Data(contentsOf: journalURL)
        try (Data("not json\n".utf8) + intact).write(to: journalURL)
        try await FileStoreCorruptionTests.expectRefused(
            directory, naming: "journal-1.jsonl", "a bad v1 line")
    }
}

@Suite("File store schedule-state migration")
struct FileStoreScheduleMigrationTests {
    /// A version-2 store kept each schedule's tick as a hidden task; on open it becomes schedule
    /// state (the newest tick wins, journal over snapshot), the hidden tasks are gone, and the
    /// snapshot is rewritten as version 3. A host task of the same type name is left alone.
    @Test func versionTwoScheduleMarkersBecomeScheduleStateOnOpen() async throws {
        let directory = try TemporaryDirectory.make()
        let first = Fixtures.start.addingTimeInterval(60)
        let later = Fixtures.start.addingTimeInterval(120.25)
        let job = Fixtures.record()
        var lookalike = Fixtures.record(type: LegacyScheduleMarker.taskType)
        lookalike.payload = .object(["schedule": .string("nightly")])
        try VersionTwoStore.write(
            to: directory,
            snapshotTasks: [
                job, lookalike, VersionTwoStore.marker(schedule: "nightly", tick: first, version: 1),
            ],
            journalTasks: [
                VersionTwoStore.marker(schedule: "nightly", tick: later, version: 2),
                VersionTwoStore.marker(schedule: "hourly", tick: first, version: 1),
            ])
        let store = try await FileTaskStore(directory: directory.path)
        #expect(store.openWarnings.contains { $0.contains("from file format version 2 to 3") })
        #expect(try await store.lastScheduleTick("nightly") == later)
        #expect(try await store.lastScheduleTick("hourly") == first)
        #expect(try await store.task(id: LegacyScheduleMarker.id(for: "nightly")) == nil)
        #expect(try await store.task(id: job.id) == job)
        #expect(try await store.task(id: lookalike.id) == lookalike)
        #expect(!(try await store.claimScheduleTick("nightly", tick: later)))
        await store.close()

        let snapshot = [UInt8](try Data(contentsOf: directory.appendingPathComponent("snapshot.json")))
        let header = try snapshot.withUnsafeBytes { buffer -> SnapshotHeader in
            guard case .frame(let payload, _) = FileStoreFrame.scan(buffer, at: 0) else {
                throw TaskworksError.invalidInput("the snapshot does not start with a frame")
            }
            return try SnapshotHeader.parse(snapshot[payload])
        }
        #expect(header.version == 3 && header.tasks == 2 && header.schedules == 2)
        let again = try await FileTaskStore(directory: directory.path)
        #expect(again.openWarnings.isEmpty)
        #expect(try await again.lastScheduleTick("nightly") == later)
        #expect(try await again.scanTasks(after: nil, limit: 10).count == 2)
        await again.close()
    }

    /// A scheduler on the migrated store does not fire again a tick the version-2 scheduler fired.
    @Test func aMigratedScheduleDoesNotFireItsLastTickAgain() async throws {
        let directory = try TemporaryDirectory.make()
        let tick = Date(timeIntervalSince1970: 1_800_000_000)  // a whole minute
        try VersionTwoStore.write(
            to: directory,
            snapshotTasks: [VersionTwoStore.marker(schedule: "every-minute", tick: tick, version: 1)],
            journalTasks: [])
        let store = try await FileTaskStore(directory: directory.path)
        let clock = ManualTaskClock(tick.addingTimeInterval(30))
        let service = TaskService(store: store, registry: try Sample.registry(), clock: clock)
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(
            try TaskSchedule(
                name: "every-minute", taskType: "noop", trigger: .interval(.seconds(60), runAtStart: true)))
        #expect(try await scheduler.tick().isEmpty)
        clock.advance(by: 31)
        #expect(try await scheduler.tick().count == 1)
        await store.close()
    }
}
