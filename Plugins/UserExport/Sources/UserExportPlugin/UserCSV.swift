import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// RFC 4180 CSV for user rows: UTF-8, CRLF line ends, fields quoted when they hold a quote,
/// comma, CR or LF (quotes doubled), and spreadsheet formula injection neutralized — a field
/// starting with `=`, `+`, `-`, `@` or their full-width forms `＝＋－＠`, also after leading
/// spaces, tabs, no-break spaces, byte-order marks or line breaks, or starting with a tab or
/// carriage return, gets a leading `'`, so no spreadsheet evaluates it.
public enum UserCSV {
    /// The header row's fields.
    public static let header = [
        "Username", "Email", "Full Name", "Phone", "Status", "Source", "Roles", "MFA Enabled", "Last Login",
        "Created At",
    ]

    /// The header line, with its CRLF.
    public static var headerLine: [UInt8] {
        var bytes: [UInt8] = []
        appendRow(header, to: &bytes)
        return bytes
    }

    /// Appends one user's line.
    public static func appendRow(_ user: ExportedUser, to bytes: inout [UInt8]) {
        appendRow(
            [
                user.username, user.email, user.fullName, user.phone ?? "", user.status.rawValue, user.source,
                user.roles.joined(separator: "; "), user.mfaEnabled ? "true" : "false",
                user.lastLogin.map(iso8601) ?? "", iso8601(user.createdAt),
            ], to: &bytes)
    }

    static func appendRow(_ fields: [String], to bytes: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendField(field, to: &bytes)
        }
        bytes += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
    }

    /// One field, neutralized and quoted as needed.
    static func appendField(_ field: String, to bytes: inout [UInt8]) {
        let utf8 = field.utf8
        let neutralize = startsLikeAFormula(field)
        let needsQuotes = utf8.contains {
            $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\n")
                || $0 == UInt8(ascii: "\r")
        }
        if needsQuotes { bytes.append(UInt8(ascii: "\"")) }
        if neutralize { bytes.append(UInt8(ascii: "'")) }
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        if needsQuotes { bytes.append(UInt8(ascii: "\"")) }
    }

    /// Whether a spreadsheet could read `field` as a formula: its first character that is not
    /// blank (space, tab, no-break space, byte-order mark, CR, LF) is `=`, `+`, `-`, `@` or a
    /// full-width form of one, or it starts with a tab or CR.
    static func startsLikeAFormula(_ field: String) -> Bool {
        let scalars = field.unicodeScalars
        if let first = scalars.first, first == "\t" || first == "\r" { return true }
        let blanks: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n", "\u{00A0}", "\u{FEFF}", "\u{3000}"]
        let triggers: Set<Unicode.Scalar> = [
            "=", "+", "-", "@", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
        ]
        guard let lead = scalars.first(where: { !blanks.contains($0) }) else { return false }
        return triggers.contains(lead)
    }

    /// `2026-11-25T10:15:00Z`: ISO 8601, UTC, whole seconds.
    public static func iso8601(_ date: Date) -> String {
        let parts = utcParts(date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year, parts.month, parts.day, parts.hour,
            parts.minute,
            parts.second)
    }

    /// `users_export_20261125_101500.csv` for a date (UTC).
    public static func fileName(at date: Date) -> String {
        let parts = utcParts(date)
        return String(
            format: "users_export_%04d%02d%02d_%02d%02d%02d.csv", parts.year, parts.month, parts.day,
            parts.hour,
            parts.minute, parts.second)
    }

    private static func utcParts(_ date: Date) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    ) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return (
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour),
            Int(parts.tm_min),
            Int(parts.tm_sec)
        )
    }
}
