import Foundation
import Testing

@testable import Taskworks

@Suite("Cron expressions")
struct CronExpressionTests {
    struct Sequence: Sendable, CustomTestStringConvertible {
        let expression: String
        let zone: String
        let start: String
        let expected: [String]
        var testDescription: String { "\(expression) in \(zone) after \(start)" }
    }

    static func date(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? Date.distantPast
    }

    /// Expected fire times are written in UTC.
    static let sequences: [Sequence] = [
        Sequence(
            expression: "*/15 * * * *", zone: "UTC", start: "2026-11-25T10:07:00Z",
            expected: [
                "2026-11-25T10:15:00Z", "2026-11-25T10:30:00Z", "2026-11-25T10:45:00Z",
                "2026-11-25T11:00:00Z",
            ]),
        Sequence(
            expression: "0 0 31 * *", zone: "UTC", start: "2026-01-31T00:00:00Z",
            expected: ["2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"]),
        Sequence(
            expression: "0 12 28-31 * *", zone: "UTC",
            start: "2026-02-27T00:00:00Z",
            expected: ["2026-02-28T12:00:00Z", "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z"]),
        Sequence(
            expression: "0 12 29 2 *", zone: "UTC", start: "2025-03-01T00:00:00Z",
            expected: ["2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z"]),
        Sequence(
            expression: "0 9 * * MON-FRI", zone: "UTC", start: "2026-11-27T10:00:00Z",  // a Friday
            expected: ["2026-11-30T09:00:00Z", "2026-12-01T09:00:00Z"]),
        Sequence(
            // day of month OR Sunday
            expression: "0 0 1,15 * SUN", zone: "UTC", start: "2026-11-25T00:00:00Z",
            expected: ["2026-11-29T00:00:00Z", "2026-12-01T00:00:00Z", "2026-12-06T00:00:00Z"]),
        // New York springs forward on 2026-03-08: 02:30 does not exist that day.
        Sequence(
            expression: "30 2 * * *", zone: "America/New_York", start: "2026-03-07T00:00:00Z",
            expected: ["2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z"]),
        // New York falls back on 2026-11-01: 01:30 happens twice and fires once, the first time.
        Sequence(
            expression: "30 1 * * *", zone: "America/New_York", start: "2026-10-31T12:00:00Z",
            expected: ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"]),
        Sequence(
            expression: "0 0 * * *", zone: "Asia/Kolkata", start: "2026-12-31T12:00:00Z",
            expected: ["2026-12-31T18:30:00Z", "2027-01-01T18:30:00Z"]),
    ]

    @Test(arguments: sequences)
    func fireTimesFollowTheCalendar(sequence: Sequence) throws {
        let cron = try CronExpression(sequence.expression)
        let zone = try #require(TimeZone(identifier: sequence.zone))
        var current = CronExpressionTests.date(sequence.start)
        var fired: [Date] = []
        for _ in sequence.expected {
            let next = try #require(cron.nextFire(after: current, in: zone))
            fired.append(next)
            current = next
        }
        #expect(fired == sequence.expected.map(CronExpressionTests.date))
    }

    @Test func anImpossibleDateNeverFires() throws {
        #expect(try CronExpression("0 0 30 2 *").nextFire(after: Date(), in: .gmt) == nil)
    }

    @Test(arguments: [
        ("* * * *", "has 4 fields"),
        ("60 * * * *", "field 1 (minute) '60' is out of range 0–59"),
        ("* 24 * * *", "field 2 (hour)"),
        ("* * 0 * *", "field 3 (day of month)"),
        ("* * * 13 *", "field 4 (month)"),
        ("* * * * 8", "field 5 (day of week)"),
        ("*/0 * * * *", "step that is not a positive number"),
        ("5-1 * * * *", "runs backwards"),
        ("* * * FOO *", "is not a number or a name like FEB"),
        ("1,,2 * * * *", "is malformed"),
    ])
    func malformedExpressionsNameTheBadField(text: String, message: String) {
        let error = #expect(throws: TaskworksError.self) { try CronExpression(text) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }
}
