import Testing

@testable import Taskworks

@Suite("Control characters in ids and names")
struct ControlCharacterTests {
    @Test(arguments: [
        ("alice", false), ("", false), ("user@example.com ~!", false), ("é-ü 名前", false),
        ("\u{200B}zero-width", false), ("tab\there", true), ("nul\u{0}", true), ("del\u{7F}", true),
        ("bell\u{7}", true), ("next line \u{85}", true), ("é then \u{9F}", true), ("\n", true),
    ])
    func theFastPathAgreesWithTheUnicodeCategory(text: String, expected: Bool) {
        #expect(text.containsControlCharacters == expected)
        let byCategory = text.unicodeScalars.contains { $0.properties.generalCategory == .control }
        #expect(byCategory == expected)
    }

    @Test func aCallerIDWithAControlCharacterIsRefused() {
        #expect(throws: TaskworksError.self) { try Caller.user("bob\u{1B}").validated() }
        #expect(throws: Never.self) { try Caller.user("bøb").validated() }
    }
}
