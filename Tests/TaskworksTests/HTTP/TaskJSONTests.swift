import Foundation
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// The API's task JSON and its dates: the same text `ISO8601DateFormatter` gives, and every
/// field a client reads.
@Suite("Task JSON")
struct TaskJSONTests {
    @Test func datesMatchISO8601DateFormatterAcrossTheCalendar() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = ReadyQueueTests.SplitMix(state: 8601)
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1),
            Date(timeIntervalSince1970: 951_782_400),
            Date(timeIntervalSince1970: 4_107_542_400), Date(timeIntervalSince1970: -2_208_988_800.5),
        ]
        for _ in 0..<5_000 {
            let milliseconds = Int64.random(in: -62_000_000_000_000...260_000_000_000_000, using: &generator)
            dates.append(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            // And dates between milliseconds, where rounding shows.
            dates.append(
                Date(
                    timeIntervalSince1970: Double(milliseconds) / 1000 + 0.0004 + Double(milliseconds % 7)
                        / 10_000))
        }
        for date in dates {
            #expect(
                InternetDateText.string(date) == formatter.string(from: date), "\(date.timeIntervalSince1970)"
            )
        }
    }

    @Test func aTaskReadsBackWithEveryField() throws {
        var task = Sample.record(type: "report")
        task.payload = .object(["quote": .string("a \"b\"\n"), "n": .integer(3)])
        task.result = .array([.double(1.5), .null])
        task.errorMessage = "failed: \u{1}"
        task.startedAt = Date(timeIntervalSince1970: 1_800_000_001.25)
        task.artifact = try TaskArtifact(key: "k", fileName: "ü.csv", contentType: "text/csv")
        var bytes: [UInt8] = []
        TaskJSON.append(task, to: &bytes)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["id"] as? String == task.id.description)
        #expect(object["status"] as? String == task.status.rawValue)
        #expect(object["type"] as? String == "report")
        #expect(object["errorMessage"] as? String == "failed: \u{1}")
        #expect(object["startedAt"] as? String == "2027-01-15T08:00:01.250Z")
        #expect((object["payload"] as? [String: Any])?["quote"] as? String == "a \"b\"\n")
        #expect((object["artifact"] as? [String: Any])?["fileName"] as? String == "ü.csv")
        #expect(object["finishedAt"] == nil)
        let parsed = try JSONValue(jsonText: String(decoding: bytes, as: UTF8.self))
        #expect(parsed["payload"] == task.payload)
    }
}
