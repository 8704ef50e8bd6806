import Foundation
import Testing

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
