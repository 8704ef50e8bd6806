import Foundation
import Testing

@testable import Taskworks

/// Listing, paging and searching, against every store.
@Suite("Store query conformance")
struct StoreQueryConformanceTests {
    /// 25 tasks by alice created one second apart; every fifth failed with an error message.
    private func seeded(_ fixture: StoreFixture) async throws -> (any TaskStore, [TaskRecord]) {
        let store = try await fixture.make()
        var records: [TaskRecord] = []
        for index in 0..<25 {
            var record = try await store.insert(
                Fixtures.record(
                    type: index % 2 == 0 ? "email" : "report", priority: 1 + index % 10,
                    createdAt: Fixtures.start.addingTimeInterval(Double(index))))
            if index % 5 == 0 {
                record = try await store.force(record.id) {
                    $0.status = .failed
                    $0.errorMessage = "SMTP refused message \(index)"
                    $0.updatedAt = Fixtures.start.addingTimeInterval(Double(1000 - index))
                }
            }
            records.append(record)
        }
        return (store, records)
    }

    @Test(arguments: StoreFixture.all)
    func pagesCoverEverythingNewestFirstIncludingThePartialLastPage(fixture: StoreFixture) async throws {
        let (store, records) = try await seeded(fixture)
        let newestFirst = records.reversed().map(\.id)
        var seen: [TaskID] = []
        for page in 1...3 {
            let result = try await store.query(TaskQuery(page: page, pageSize: 10))
            #expect(result.total == 25)
            #expect(result.items.count == (page == 3 ? 5 : 10))
            #expect(result.hasMore == (page < 3))
            seen += result.items.map(\.id)
        }
        #expect(seen == newestFirst)
        let pastTheEnd = try await store.query(TaskQuery(page: 4, pageSize: 10))
        #expect(pastTheEnd.items.isEmpty)
        #expect(pastTheEnd.total == 25)
        let farPastTheEnd = try await store.query(TaskQuery(page: Int.max, pageSize: 100))
        #expect(farPastTheEnd.items.isEmpty)
    }

    @Test(arguments: StoreFixture.all, TaskSort.allCases)
    func everySortIsStableAndComplete(fixture: StoreFixture, sort: TaskSort) async throws {
        let (store, records) = try await seeded(fixture)
        var seen: [TaskRecord] = []
        for page in 1...5 {
            seen += try await store.query(TaskQuery(sort: sort, page: page, pageSize: 7)).items
        }
        #expect(Set(seen.map(\.id)) == Set(records.map(\.id)))
        #expect(seen.count == 25)
        for (earlier, later) in zip(seen, seen.dropFirst()) {
            switch sort {
            case .createdDescending: #expect(earlier.createdAt > later.createdAt)
            case .createdAscending: #expect(earlier.createdAt < later.createdAt)
            case .priorityDescending:
                #expect(
                    earlier.priority > later.priority
                        || (earlier.priority == later.priority && earlier.createdAt > later.createdAt))
            case .updatedDescending: #expect(earlier.updatedAt >= later.updatedAt)
            }
        }
    }

    @Test(arguments: StoreFixture.all)
    func filtersCombine(fixture: StoreFixture) async throws {
        let (store, records) = try await seeded(fixture)
        let failedEmails = records.filter { $0.status == .failed && $0.type == "email" }
        let result = try await store.query(
            TaskQuery(statuses: [.failed], types: ["email"], pageSize: 100))
        #expect(Set(result.items.map(\.id)) == Set(failedEmails.map(\.id)))
        #expect(result.total == failedEmails.count)

        let window = try await store.query(
            TaskQuery(
                createdAfter: Fixtures.start.addingTimeInterval(10),
                createdBefore: Fixtures.start.addingTimeInterval(15), pageSize: 100))
        #expect(
            window.items.map(\.createdAt)
                == (10..<15).reversed().map { Fixtures.start.addingTimeInterval(Double($0)) })
        #expect(window.total == 5)

        let nobody = try await store.query(TaskQuery(createdBy: "bob"))
        #expect(nobody.items.isEmpty)
        #expect(nobody.total == 0)
    }

    @Test(arguments: StoreFixture.all)
    func deletedTasksNeverAppear(fixture: StoreFixture) async throws {
        let (store, records) = try await seeded(fixture)
        try await store.force(records[24].id) { $0.deletedAt = Fixtures.start }
        let result = try await store.query(TaskQuery(pageSize: 100))
        #expect(result.total == 24)
        #expect(!result.items.contains { $0.id == records[24].id })
        let searched = try await store.query(TaskQuery(search: records[24].id.description))
        #expect(searched.items.isEmpty)
    }

    /// Search text, and which error messages it must match. Wildcards and quotes are literal.
    static let searchCases: [(search: String, matches: [String])] = [
        ("%", ["100% done"]),
        ("_", ["snake_case failure"]),
        ("*", ["glob * failed"]),
        ("'", ["it's broken"]),
        ("\"", ["said \"no\""]),
        ("ÜBER", ["über limit"]),
        ("limit", ["über limit"]),
        ("SNAKE", ["snake_case failure"]),
        ("nothing-like-this", []),
    ]

    @Test(arguments: StoreFixture.all, searchCases)
    func searchIsACaseInsensitiveLiteralSubstring(
        fixture: StoreFixture, searchCase: (search: String, matches: [String])
    ) async throws {
        let store = try await fixture.make()
        let messages = [
            "100% done", "snake_case failure", "glob * failed", "it's broken", "said \"no\"", "über limit",
            "plain",
        ]
        for (index, message) in messages.enumerated() {
            let record = try await store.insert(
                Fixtures.record(type: "job", createdAt: Fixtures.start.addingTimeInterval(Double(index))))
            try await store.force(record.id) {
                $0.status = .failed
                $0.errorMessage = message
            }
        }
        let result = try await store.query(TaskQuery(search: searchCase.search, pageSize: 100))
        #expect(Set(result.items.compactMap(\.errorMessage)) == Set(searchCase.matches))
        #expect(result.total == searchCase.matches.count)
    }

    @Test(arguments: StoreFixture.all)
    func searchMatchesTypeAndIDAndEmptySearchMatchesAll(fixture: StoreFixture) async throws {
        let (store, records) = try await seeded(fixture)
        let byType = try await store.query(TaskQuery(search: "REPO", pageSize: 100))
        #expect(byType.total == records.filter { $0.type == "report" }.count)
        let target = records[7]
        let prefix = String(target.id.description.prefix(13)).uppercased()
        let byID = try await store.query(TaskQuery(search: prefix, pageSize: 100))
        #expect(byID.items.map(\.id) == [target.id])
        #expect(try await store.query(TaskQuery(search: "", pageSize: 100)).total == 25)
    }
}
