import Foundation
import TaskStoreConformance
import Testing

@testable import Taskworks

/// Random and mutated bytes through every reader of the file store: they never crash, and no
/// damaged record is ever accepted as a whole one.
@Suite("File store codec fuzzing")
struct FileStoreFuzzTests {
    static func randomBytes(_ count: Int, using random: inout SeededRandom) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    @Test func randomBytesNeverCrashAReaderAndAreNeverAFrame() throws {
        var random = SeededRandom(seed: 0xF022)
        var frames = 0
        var parsed = 0
        let rounds = 20_000
        for round in 0..<rounds {
            var bytes = Self.randomBytes(Int.random(in: 1...256, using: &random), using: &random)
            // Every fourth buffer starts like a record, to reach deeper into the parser.
            if round.isMultiple(of: 4) { bytes = Array("{\"task\":{".utf8) + bytes }
            let scan = bytes.withUnsafeBytes { FileStoreFrame.scan($0, at: 0) }
            if case .frame = scan { frames += 1 }
            _ = try? FileStoreFormat.snapshotRecords(bytes)
            if (try? JournalEntry.parse(bytes[...])) != nil { parsed += 1 }
            _ = try? JSONValue(jsonText: String(decoding: bytes, as: UTF8.self))
        }
        #expect(frames == 0)
        #expect(parsed == 0)
    }

    @Test func mutatedFramesAreNeverAcceptedAsWhole() throws {
        var random = SeededRandom(seed: 0xC4C)
        var original: [UInt8] = []
        var record = Fixtures.record(type: "job")
        record.payload = GeneratedValues.value(depth: 4, using: &random)
        JournalEntry.appendTask(record, to: &original)
        var caught = 0
        let rounds = 5_000
        for _ in 0..<rounds {
            var mutated = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let offset = Int.random(in: 0..<mutated.count, using: &random)
                mutated[offset] = UInt8.random(in: 0...255, using: &random)
            }
            if mutated == original { continue }
            switch mutated.withUnsafeBytes({ FileStoreFrame.scan($0, at: 0) }) {
            case .frame(let payload, _):
                Issue.record(
                    "a mutated frame was accepted: \(String(decoding: mutated[payload], as: UTF8.self))")
            case .incomplete, .corrupt, .zeroed:
                caught += 1
            }
        }
        #expect(caught > rounds * 9 / 10)
    }

    @Test func nestingFarPastTheLimitFailsWithoutExhaustingTheStack() {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        #expect(throws: TaskworksError.self) { try JSONValue(jsonText: deep) }
        var record = Array(#"{"task":{"payload":"#.utf8)
        record += Array(repeating: UInt8(ascii: "{"), count: 100_000)
        #expect(throws: (any Error).self) { try JournalEntry.parse(record[...]) }
    }

    @Test func aStoreWhoseJournalIsRandomBytesIsRefusedNeverOpenedOrCrashed() async throws {
        var random = SeededRandom(seed: 0x5708E)
        for round in 0..<60 {
            let directory = try TemporaryDirectory.make()
            let store = try await FileTaskStore(directory: directory.path)
            _ = try await store.insert(Fixtures.record())
            await store.close()
            let journal = directory.appendingPathComponent("journal-1.jsonl")
            var bytes = try Data(contentsOf: journal)
            bytes.append(
                contentsOf: Self.randomBytes(Int.random(in: 1...2048, using: &random), using: &random))
            if round.isMultiple(of: 2) {
                bytes = Data(bytes.dropFirst(Int.random(in: 1..<bytes.count, using: &random)))
            }
            try bytes.write(to: journal)
            try await FileStoreCorruptionTests.expectRefused(
                directory, naming: "journal-1.jsonl", "random journal \(round)")
        }
    }
}
