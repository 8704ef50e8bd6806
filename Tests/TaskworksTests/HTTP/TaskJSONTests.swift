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
        var generator = SplitMix64(seed: 8601)
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

    @Test(arguments: [
        Int64.min, Int64.min + 1, -1_000_000_000_000_000_000, -10, -9, -1, 0, 1, 9, 10, 99, 100,
        4_096, 999_999_999_999_999_999, 1_000_000_000_000_000_000, Int64.max - 1, Int64.max,
    ])
    func integersAreWrittenAsSwiftPrintsThem(_ number: Int64) {
        var bytes: [UInt8] = Array("x".utf8)
        JSONWriter.appendInteger(number, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + String(number))
    }

    @Test(arguments: [
        "", "plain", "\"", "\\", "a\"b\\c", "\n\r\t", "\u{0}\u{1}\u{1F}", "end\u{7F}",
        "üñí €", "👩‍💻 and \"quotes\"", "\u{1}lead", "trail\u{1}",
    ])
    func stringsReadBackAsTheSameText(_ text: String) throws {
        var bytes: [UInt8] = []
        JSONWriter.appendString(text, to: &bytes)
        let decoded = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
        #expect(decoded as? String == text)
        // Only the quotes, a backslash and control characters are escaped.
        let escapes = text.utf8.filter { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }.count
        #expect(bytes.count >= text.utf8.count + 2 + escapes)
        #expect(!bytes.dropFirst().dropLast().contains { $0 < 0x20 })
    }

    @Test func randomStringsReadBackAsTheSameText() throws {
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet: [Character] = ["a", "\"", "\\", "\n", "\u{1}", "\u{1F}", "é", "€", "😀", " ", "/"]
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
            var bytes: [UInt8] = []
            JSONWriter.appendString(text, to: &bytes)
            let decoded = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
            #expect(decoded as? String == text)
        }
    }
}
