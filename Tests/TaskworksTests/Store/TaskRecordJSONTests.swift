import Foundation
import Testing

@testable import Taskworks

/// The file store's own JSON codec must agree with `Codable` in both directions.
@Suite("File store JSON codec")
struct TaskRecordJSONTests {
    static let samples: [TaskRecord] = {
        var bare = TaskRecord(
            type: "noop", createdBy: "alice",
            createdAt: Date(timeIntervalSinceReferenceDate: 817_340_560.911_743_88))
        bare.version = 1
        var full = TaskRecord(
            type: "user_export", priority: 9,
            payload: .object([
                "keywords": .string("Smith \"junior\" \\ / \n\t\u{1} ü 😀"),
                "nested": .array([
                    .integer(-42), .double(1.5e-7), .double(-0.25), .bool(true), .null, .object([:]),
                ]),
                "big": .integer(Int64.max), "huge": .double(1e300),
            ]),
            createdBy: "bob@example.com", maxRetries: 7, timeout: .milliseconds(1500),
            runAfter: Date(timeIntervalSince1970: 1_900_000_000.123),
            createdAt: Date(timeIntervalSince1970: 1_800_000_000.000_001))
        full.status = .failed
        full.result = .array([.string("done"), .integer(3)])
        full.errorMessage = "line one\nline two \"quoted\""
        full.progress = 57
        full.artifact = try? TaskArtifact(
            key: "exports/2026/11/abc", fileName: "users_export_20261125_101500.csv")
        full.attempts = 4
        full.manualRetries = 2
        full.startedAt = Date(timeIntervalSince1970: 1_800_000_100.5)
        full.finishedAt = Date(timeIntervalSince1970: 1_800_000_200.25)
        full.updatedAt = Date(timeIntervalSince1970: 1_800_000_200.25)
        full.deletedAt = Date(timeIntervalSince1970: 1_800_000_300)
        full.cancelRequested = true
        full.leaseOwner = "worker-12-abcdef"
        full.leaseExpiresAt = Date(timeIntervalSince1970: 1_800_000_230)
        full.version = 123_456_789
        return [bare, full]
    }()

    @Test(arguments: samples)
    func ownLinesReadBackExactly(record: TaskRecord) throws {
        var bytes: [UInt8] = []
        JournalEntry.appendTask(record, to: &bytes)
        #expect(bytes.last == UInt8(ascii: "\n"))
        let scan = bytes.withUnsafeBytes { FileStoreFrame.scan($0, at: 0) }
        guard case .frame(let payload, let next) = scan else {
            Issue.record("expected a whole frame, got \(scan)")
            return
        }
        #expect(next == bytes.count)
        let line = bytes[payload]
        guard case .task(let decoded) = try #require(JournalEntry.parsed(line)) else {
            Issue.record("expected a task line")
            return
        }
        #expect(decoded == record)
        // Codable reads our lines too.
        let viaCodable = try JSONDecoder().decode(
            FileStoreFormat.VersionOneJournalLine.self, from: Data(line))
        #expect(viaCodable.task == record)
    }

    @Test(arguments: samples)
    func codableOutputIsReadByTheFastParser(record: TaskRecord) throws {
        let data = try JSONEncoder().encode(record)  // escapes "/" as "\/", other key order
        let decoded = try #require(TaskRecordJSON.record(Array(data)[...]))
        #expect(decoded == record)
    }

    @Test(arguments: [
        "", "{", "{\"task\":{}}", "{\"task\":{\"id\":\"x\"}}", "[1,2]", "{\"rotate\":\"two\"}",
        "{\"task\":null} trailing",
    ])
    func malformedLinesAreNotRecognised(text: String) {
        #expect(JournalEntry.parsed(Array(text.utf8)[...]) == nil)
    }

    @Test func rotationLinesAreRecognised() throws {
        let entry = try #require(JournalEntry.parsed(Array("{\"rotate\":7}".utf8)[...]))
        guard case .rotate(let next) = entry else {
            Issue.record("expected a rotation")
            return
        }
        #expect(next == 7)
    }
}
