import Foundation

/// A standard 5-field cron expression — minute, hour, day of month, month, day of week —
/// evaluated in a time zone.
///
/// Each field takes `*`, a number, a range `a-b`, a step `*/n`, `a-b/n` or `a/n`, and
/// comma-separated lists of those. Months accept `JAN`–`DEC` and days of week `SUN`–`SAT`
/// (`0` and `7` are both Sunday). As in classic cron, when both day of month and day of week are
/// restricted, a day matches if either does.
///
/// Daylight saving: a local time that does not exist (skipped by a spring-forward change) does
/// not fire that day; a local time that happens twice (fall-back) fires once, at its first
/// occurrence.
///
/// ```swift
/// let weekdayMornings = try CronExpression("30 8 * * MON-FRI")
/// let next = weekdayMornings.nextFire(after: Date(), in: TimeZone(identifier: "Europe/Paris")!)
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let daysOfMonth: Set<Int>
    private let months: Set<Int>
    private let daysOfWeek: Set<Int>
    private let dayOfMonthRestricted: Bool
    private let dayOfWeekRestricted: Bool

    private struct Field {
        let name: String
        let range: ClosedRange<Int>
        let names: [String]
    }

    private static let fields = [
        Field(name: "minute", range: 0...59, names: []),
        Field(name: "hour", range: 0...23, names: []),
        Field(name: "day of month", range: 1...31, names: []),
        Field(
            name: "month", range: 1...12,
            names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        Field(name: "day of week", range: 0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ]

    /// Parses an expression.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` naming the field that is wrong and why.
    public init(_ text: String) throws {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 5 else {
            throw TaskworksError.invalidInput(
                "cron expression '\(text.prefix(100))' has \(parts.count) fields; give 5: minute hour "
                    + "day-of-month month day-of-week (e.g. '*/5 * * * *')")
        }
        var sets: [Set<Int>] = []
        for (index, part) in parts.enumerated() {
            sets.append(
                try CronExpression.parse(
                    String(part), CronExpression.fields[index], in: text, position: index + 1))
        }
        self.text = text
        minutes = sets[0]
        hours = sets[1]
        daysOfMonth = sets[2]
        months = sets[3]
        daysOfWeek = Set(sets[4].map { $0 % 7 })
        dayOfMonthRestricted = parts[2] != "*"
        dayOfWeekRestricted = parts[4] != "*"
    }

    /// The expression as written.
    public var description: String { text }

    private static func parse(_ part: String, _ field: Field, in text: String, position: Int) throws -> Set<
        Int
    > {
        func fail(_ reason: String) -> TaskworksError {
            TaskworksError.invalidInput(
                "cron expression '\(text.prefix(100))': field \(position) (\(field.name)) '\(part.prefix(40))' \(reason)"
            )
        }
        func value(_ token: Substring) throws -> Int {
            if let number = Int(token) {
                guard field.range.contains(number) else {
                    throw fail("is out of range \(field.range.lowerBound)–\(field.range.upperBound)")
                }
                return number
            }
            if let index = field.names.firstIndex(of: token.uppercased()) {
                return field.range.lowerBound == 0 ? index : index + 1
            }
            throw fail("is not a number\(field.names.isEmpty ? "" : " or a name like \(field.names[1])")")
        }
        var result = Set<Int>()
        for item in part.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let base = pieces.first, !base.isEmpty else {
                throw fail("is malformed")
            }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else {
                    throw fail("has a step that is not a positive number")
                }
                step = parsed
            }
            let bounds: ClosedRange<Int>
            if base == "*" {
                bounds = field.range
            } else if let dash = base.firstIndex(of: "-") {
                let low = try value(base[..<dash])
                let high = try value(base[base.index(after: dash)...])
                guard low <= high else { throw fail("has a range that runs backwards") }
                bounds = low...high
            } else {
                let single = try value(base)
                bounds = pieces.count == 2 ? single...field.range.upperBound : single...single
            }
            result.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return result
    }

    /// The first fire time strictly after `date`, in `timeZone`; `nil` when there is none in the
    /// next eight years (such as `0 0 30 2 *`).
    public func nextFire(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard var year = start.year, var month = start.month, var day = start.day, var hour = start.hour,
            var minute = start.minute
        else { return nil }
        minute += 1  // strictly after
        let lastYear = year + 8
        while year <= lastYear {
            if minute > 59 { (minute, hour) = (0, hour + 1) }
            if hour > 23 { (hour, day) = (0, day + 1) }
            if day > CronExpression.daysIn(month: month, year: year) { (day, month) = (1, month + 1) }
            if month > 12 { (month, year) = (1, year + 1) }
            guard months.contains(month) else {
                (minute, hour, day, month) = (0, 0, 1, month + 1)
                continue
            }
            guard dayMatches(year: year, month: month, day: day) else {
                (minute, hour, day) = (0, 0, day + 1)
                continue
            }
            guard hours.contains(hour) else {
                (minute, hour) = (0, hour + 1)
                continue
            }
            guard minutes.contains(minute) else {
                minute += 1
                continue
            }
            let wanted = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
            if let candidate = calendar.date(from: wanted), candidate > date {
                let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: candidate)
                // A local time skipped by a daylight-saving change comes back shifted: skip it.
                if back.year == year && back.month == month && back.day == day && back.hour == hour
                    && back.minute == minute
                {
                    return candidate
                }
            }
            minute += 1
        }
        return nil
    }

    private func dayMatches(year: Int, month: Int, day: Int) -> Bool {
        let byMonth = daysOfMonth.contains(day)
        let byWeek = daysOfWeek.contains(CronExpression.weekday(year: year, month: month, day: day))
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): return byMonth || byWeek
        case (true, false): return byMonth
        case (false, true): return byWeek
        case (false, false): return true
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// 0 = Sunday (Sakamoto's method on the proleptic Gregorian calendar).
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        return (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
    }
}
