import Foundation
import Testing

@testable import Taskworks

/// Ids, statuses and error codes read and print as plain text, also inside collections.
@Suite("Plain names")
struct PlainNamesTests {
    @Test func aTaskIDIsAPlainStringBothWays() throws {
        let id = TaskID()
        #expect(TaskID(id.string) == id)
        #expect(TaskID(id.description.uppercased()) == id)
        #expect(TaskID("not-an-id") == nil)
        #expect(TaskID("") == nil)
        #expect("\([id])" == "[\(id.string)]")
        let encoded = String(decoding: try JSONEncoder().encode([id]), as: UTF8.self)
        #expect(encoded == "[\"\(id.string)\"]")
        #expect(try JSONDecoder().decode([TaskID].self, from: Data(encoded.utf8)) == [id])
    }

    @Test func statusesAndCodesPrintTheirNamesInCollections() {
        #expect("\([TaskStatus.pending, .failed])" == "[pending, failed]")
        #expect(String(describing: TaskStatus.running) == "running")
        #expect(
            "\([TaskworksError.Code.taskNotFound, .duplicateTaskID])" == "[taskNotFound, duplicateTaskID]")
        #expect("\(TaskworksError.taskNotFound(TaskID()))".hasPrefix("taskNotFound: "))
    }

    @Test(arguments: TaskStatus.allCases)
    func countsAnswerZeroForWhatIsAbsent(status: TaskStatus) {
        let counts = TaskCounts(byStatus: [.failed: 2], byType: ["report": 2])
        #expect(counts[status] == (status == .failed ? 2 : 0))
        #expect(counts[type: "report"] == 2)
        #expect(counts[type: "email"] == 0)
    }
}
