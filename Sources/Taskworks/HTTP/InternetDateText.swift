import Foundation

/// RFC 3339 dates in UTC with milliseconds (`2026-12-02T04:39:59.123Z`), written straight into
/// a byte buffer: the same text `ISO8601DateFormatter` gives with fractional seconds, at a small
/// fraction of its cost (rounded to the nearest millisecond, as it does). Dates outside years
/// 1583–9999 (no stored date is; the formatter switches to the Julian calendar before 1583) go
/// through the formatter.
package enum InternetDateText {
    /// Appends `date` as RFC 3339 text, in double quotes when `quoted` (a JSON string).
    package static func append(_ date: Date, quoted: Bool = false, to bytes: inout [UInt8]) {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        // Years 1583 to 9999, in milliseconds since 1970.
        guard milliseconds >= -12_212_553_600_000, milliseconds < 253_402_300_800_000 else {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if quoted { bytes.append(UInt8(ascii: "\"")) }
            bytes += formatter.string(from: date).utf8
            if quoted { bytes.append(UInt8(ascii: "\"")) }
            return
        }
        let total = Int64(milliseconds)
        let (days, dayMilliseconds) = floorDivision(total, 86_400_000)
        let (year, month, day) = civilDate(daysSince1970: days)
        let secondsOfDay = dayMilliseconds / 1000
        // `YYYY-MM-DDTHH:MM:SS.mmmZ` is 24 bytes.
        JSONWriter.appendFixedWidth(quoted ? 26 : 24, to: &bytes) { text in
            var position = 0
            func put(_ byte: UInt8) {
                text[position] = byte
                position += 1
            }
            func digits(_ value: Int64, _ count: Int) {
                var rest = value
                for place in stride(from: position + count - 1, through: position, by: -1) {
                    text[place] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
                position += count
            }
            if quoted { put(UInt8(ascii: "\"")) }
            digits(year, 4)
            put(UInt8(ascii: "-"))
            digits(month, 2)
            put(UInt8(ascii: "-"))
            digits(day, 2)
            put(UInt8(ascii: "T"))
            digits(secondsOfDay / 3600, 2)
            put(UInt8(ascii: ":"))
            digits(secondsOfDay / 60 % 60, 2)
            put(UInt8(ascii: ":"))
            digits(secondsOfDay % 60, 2)
            put(UInt8(ascii: "."))
            digits(dayMilliseconds % 1000, 3)
            put(UInt8(ascii: "Z"))
            if quoted { put(UInt8(ascii: "\"")) }
        }
    }

    package static func string(_ date: Date) -> String {
        var bytes: [UInt8] = []
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (the days-to-civil algorithm
    /// over 400-year eras).
    private static func civilDate(daysSince1970: Int64) -> (Int64, Int64, Int64) {
        let shifted = daysSince1970 + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
