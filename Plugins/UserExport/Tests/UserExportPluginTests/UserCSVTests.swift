import Foundation
import Testing
import UserExportPlugin

@Suite("User export CSV")
struct UserCSVTests {
    static func row(_ user: ExportedUser) -> String {
        var bytes: [UInt8] = []
        UserCSV.appendRow(user, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func user(fullName: String = "Ada Lovelace", phone: String? = nil, roles: [String] = ["viewer"])
        -> ExportedUser
    {
        ExportedUser(
            username: "ada", email: "ada@example.com", fullName: fullName, phone: phone, status: .active,
            source: "sso", roles: roles, mfaEnabled: true, lastLogin: nil,
            createdAt: Date(timeIntervalSince1970: 1_764_065_700))
    }

    @Test func theHeaderIsExact() {
        #expect(
            String(decoding: UserCSV.headerLine, as: UTF8.self)
                == "Username,Email,Full Name,Phone,Status,Source,Roles,MFA Enabled,Last Login,Created At\r\n")
    }

    /// A full-name value and how it must appear in the row.
    @Test(arguments: [
        ("Ada Lovelace", "Ada Lovelace"),
        ("Torvalds, Jr.", "\"Torvalds, Jr.\""),
        ("\"Ace\" Smith", "\"\"\"Ace\"\" Smith\""),
        ("two\nlines", "\"two\nlines\""),
        ("carriage\rreturn", "\"carriage\rreturn\""),
        ("Zoë Müller 😀", "Zoë Müller 😀"),
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "\"'\rCR\""),
        ("", ""),
        ("a=b", "a=b"),
        ("  =1+1", "'  =1+1"),
        ("\u{00A0}=1+1", "'\u{00A0}=1+1"),
        ("\u{FEFF}@SUM(A1)", "'\u{FEFF}@SUM(A1)"),
        (" \t -2", "' \t -2"),
        ("\u{FF1D}1+1", "'\u{FF1D}1+1"),
        ("\u{FF0B}cmd", "'\u{FF0B}cmd"),
        ("\u{FF0D}2", "'\u{FF0D}2"),
        ("\u{FF20}SUM(A1)", "'\u{FF20}SUM(A1)"),
        ("\u{3000}=x", "'\u{3000}=x"),
        ("   ", "   "),
        (" a=b", " a=b"),
    ])
    func fieldsAreQuotedAndNeutralized(value: String, expected: String) {
        #expect(
            UserCSVTests.row(UserCSVTests.user(fullName: value))
                == "ada,ada@example.com,\(expected),,active,sso,viewer,true,,2025-11-25T10:15:00Z\r\n")
    }

    @Test func rolesJoinAndPhoneNumbersAreNeutralized() {
        let line = UserCSVTests.row(UserCSVTests.user(phone: "+1 555 0100", roles: ["admin", "editor"]))
        #expect(
            line
                == "ada,ada@example.com,Ada Lovelace,'+1 555 0100,active,sso,admin; editor,true,,2025-11-25T10:15:00Z\r\n"
        )
        #expect(UserCSVTests.row(UserCSVTests.user(roles: [])).contains(",sso,,true,"))
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z", "users_export_19700101_000000.csv"),
        (951_782_400, "2000-02-29T00:00:00Z", "users_export_20000229_000000.csv"),
        (1_764_065_700.9, "2025-11-25T10:15:00Z", "users_export_20251125_101500.csv"),
    ])
    func datesAreISO8601InUTC(seconds: Double, iso: String, fileName: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(UserCSV.iso8601(date) == iso)
        #expect(UserCSV.fileName(at: date) == fileName)
    }
}
