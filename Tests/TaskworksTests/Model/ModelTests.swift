import Foundation
import Testing

@testable import Taskworks

@Suite("Model values")
struct ModelTests {
    @Test(arguments: ["", "not-a-uuid", "3f2504e0-4f89-41d3-9a0c", "../../etc/passwd", "\0"])
    func taskIDParsingRejectsBadText(text: String) {
        #expect(throws: TaskworksError.self) { try TaskID(parsing: text) }
    }

    @Test func aRecordDescribesItsStateInOneLineWithoutThePayload() throws {
        var record = Fixtures.record(type: "user_export", runAfter: Fixtures.start.addingTimeInterval(0.125))
        record.payload = .object(["secret": .string("hunter2")])
        record.status = .running
        record.attempts = 2
        record.leaseOwner = "worker-1"
        record.leaseExpiresAt = Fixtures.start.addingTimeInterval(30)
        let text = record.description
        #expect(
            text.hasPrefix(
                "TaskRecord(id: \(record.id), type: user_export, status: running, attempts: 2 of 4"))
        #expect(text.contains("runAfter: 2027-01-15T08:00:00.125Z"))
        #expect(text.contains("lease: worker-1 until 2027-01-15T08:00:30.000Z"))
        #expect(!text.contains("hunter2"))
        #expect(String(describing: Optional(record)).contains("status: running"))
    }

    @Test func taskIDRoundTripsThroughTextAndJSON() throws {
        let id = TaskID()
        #expect(try TaskID(parsing: id.description.uppercased()) == id)
        let data = try JSONEncoder().encode([id])
        #expect(try JSONDecoder().decode([TaskID].self, from: data) == [id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(id)\"]")
    }

    struct Sample: Codable, Equatable {
        var width: Int
        var name: String
        var ratio: Double
        var tags: [String]
        var nested: [String: Bool]
        var missing: Int?
    }

    @Test func jsonValueRoundTripsAnEncodableValue() throws {
        let sample = Sample(
            width: 640, name: "a \"quoted\" ü", ratio: 0.5, tags: ["x", "y"], nested: ["on": true],
            missing: nil)
        let json = try JSONValue(encoding: sample)
        #expect(json.decodeOrNil(Sample.self) == sample)
        guard case .object(let object) = json else {
            Issue.record("expected an object, got \(json)")
            return
        }
        #expect(object["width"] == .integer(640))
        #expect(object["ratio"] == .double(0.5))
    }

    @Test func jsonValueDecodingAWrongShapeIsATypedError() throws {
        let json = try JSONValue(encoding: ["width": "wide"])
        #expect(throws: TaskworksError.self) { try json.decode(Sample.self) }
    }

    @Test func jsonValueRefusesNonFiniteNumbers() {
        #expect(throws: TaskworksError.self) { try JSONValue(encoding: Double.nan) }
    }

    @Test(arguments: [
        ("key", "report.csv", true),
        ("", "report.csv", false),
        ("key", "", false),
        ("key", "../report.csv", false),
        ("key", "a\\b.csv", false),
        ("key", "..", false),
        ("key\n", "report.csv", false),
        ("key", "line\nbreak.csv", false),
    ])
    func artifactReferencesAreChecked(key: String, fileName: String, valid: Bool) {
        #expect(((try? TaskArtifact(key: key, fileName: fileName)) != nil) == valid)
    }

    @Test(arguments: [0, -1, 101, Int.min])
    func queryRejectsOutOfRangePageSizes(pageSize: Int) {
        #expect(throws: TaskworksError.self) { try TaskQuery(pageSize: pageSize).validate() }
    }

    @Test(arguments: [0, -1, Int.min, TaskQuery.maximumPage + 1, Int.max])
    func queryRejectsPagesOutOfRange(page: Int) {
        let error = #expect(throws: TaskworksError.self) { try TaskQuery(page: page).validate() }
        #expect(error?.code == .invalidQuery)
    }

    @Test(arguments: [(1, 1), (1, 100), (TaskQuery.maximumPage, 100), (1_000_000, 10)])
    func queryAcceptsInRangeValuesIncludingHugePages(page: Int, pageSize: Int) throws {
        try TaskQuery(page: page, pageSize: pageSize).validate()
    }

    @Test func queryRejectsAnInvertedDateWindow() {
        let query = TaskQuery(
            createdAfter: Fixtures.start, createdBefore: Fixtures.start.addingTimeInterval(-1))
        #expect(throws: TaskworksError.self) { try query.validate() }
    }

    @Test(arguments: [
        (1, 0.5, Int64(1_000)), (2, 0.5, 2_000), (3, 0.5, 4_000), (20, 0.5, 300_000),
        (1, 0.0, 800), (1, 1.0, 1_200), (3, 0.0, 3_200),
    ])
    func retryBackoffGrowsExponentiallyWithinJitterAndCap(
        attempt: Int, random: Double, expectedMilliseconds: Int64
    ) {
        let policy = RetryPolicy(
            initialDelay: .seconds(1), multiplier: 2, maximumDelay: .seconds(300), jitter: 0.2)
        #expect(policy.delay(afterAttempt: attempt, random: random).wholeMilliseconds == expectedMilliseconds)
    }
}

extension JSONValue {
    fileprivate func decodeOrNil<T: Decodable>(_ type: T.Type) -> T? {
        try? decode(type)
    }
}
