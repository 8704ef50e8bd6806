import Foundation
import Taskworks
import TaskworksTesting

/// Listing, paging, sorting, filtering and searching.
enum QueryChecks {
    /// 25 tasks by alice created one second apart; every fifth failed with an error message.
    private static func seeded(_ store: any TaskStore) async throws -> [TaskRecord] {
        var records: [TaskRecord] = []
        for index in 0..<25 {
            var record = try await store.insert(
                Sample.record(
                    type: index % 2 == 0 ? "email" : "report", priority: 1 + index % 10,
                    createdAt: Sample.start.addingTimeInterval(Double(index))))
            if index % 5 == 0 {
                record = try await store.force(record.id) {
                    $0.status = .failed
                    $0.errorMessage = "SMTP refused message \(index)"
                    $0.updatedAt = Sample.start.addingTimeInterval(Double(1000 - index))
                }
            }
            records.append(record)
        }
        return records
    }

    /// Search text, and which error messages it must match. Wildcards and quotes are literal.
    static let searchCases: [(search: String, matches: [String])] = [
        ("%", ["100% done"]),
        ("_", ["snake_case failure"]),
        ("*", ["glob * failed"]),
        ("'", ["it's broken"]),
        ("\"", ["said \"no\""]),
        ("\\", ["back\\slash"]),
        ("ÜBER", ["über limit"]),
        ("limit", ["über limit"]),
        ("SNAKE", ["snake_case failure"]),
        ("nothing-like-this", []),
    ]

    static let all: [StoreCheck] = [
        StoreCheck("query.pagesCoverEverythingNewestFirst") { context in
            let store = context.store
            let records = try await seeded(store)
            var seen: [TaskID] = []
            for page in 1...3 {
                let result = try await context.readModel.query(TaskQuery(page: page, pageSize: 10))
                try expectEqual(result.total, 25, "total on page \(page)")
                try expectEqual(result.items.count, page == 3 ? 5 : 10, "items on page \(page)")
                try expectEqual(result.hasMore, page < 3, "hasMore on page \(page)")
                seen += result.items.map(\.id)
            }
            try expectEqual(seen, records.reversed().map(\.id), "ids over all pages, newest first")
            let pastTheEnd = try await context.readModel.query(TaskQuery(page: 4, pageSize: 10))
            try expect(pastTheEnd.items.isEmpty, "the page after the last one has items")
            try expectEqual(pastTheEnd.total, 25, "total on the page after the last one")
            let farPastTheEnd = try await context.readModel.query(TaskQuery(page: Int.max, pageSize: 100))
            try expect(farPastTheEnd.items.isEmpty, "page Int.max has items")
        },
        StoreCheck("query.everySortIsStableAndComplete") { context in
            let store = context.store
            let records = try await seeded(store)
            for sort in TaskSort.allCases {
                var seen: [TaskRecord] = []
                for page in 1...5 {
                    seen += try await context.readModel.query(TaskQuery(sort: sort, page: page, pageSize: 7))
                        .items
                }
                try expectEqual(
                    Set(seen.map(\.id)), Set(records.map(\.id)), "tasks seen over pages sorted \(sort)")
                try expectEqual(seen.count, 25, "tasks listed over pages sorted \(sort)")
                for (earlier, later) in zip(seen, seen.dropFirst()) {
                    let ordered: Bool
                    switch sort {
                    case .createdDescending: ordered = earlier.createdAt > later.createdAt
                    case .createdAscending: ordered = earlier.createdAt < later.createdAt
                    case .priorityDescending:
                        ordered =
                            earlier.priority > later.priority
                            || (earlier.priority == later.priority && earlier.createdAt > later.createdAt)
                    case .updatedDescending: ordered = earlier.updatedAt >= later.updatedAt
                    }
                    try expect(ordered, "sorted \(sort): \(earlier.id) listed before \(later.id)")
                }
            }
        },
        StoreCheck("query.filtersCombine") { context in
            let store = context.store
            let records = try await seeded(store)
            let failedEmails = records.filter { $0.status == .failed && $0.type == "email" }
            let result = try await context.readModel.query(
                TaskQuery(statuses: [.failed], types: ["email"], pageSize: 100))
            try expectEqual(Set(result.items.map(\.id)), Set(failedEmails.map(\.id)), "failed emails")
            try expectEqual(result.total, failedEmails.count, "failed emails total")
            let window = try await context.readModel.query(
                TaskQuery(
                    createdAfter: Sample.start.addingTimeInterval(10),
                    createdBefore: Sample.start.addingTimeInterval(15), pageSize: 100))
            try expectEqual(
                window.items.map(\.createdAt),
                (10..<15).reversed().map { Sample.start.addingTimeInterval(Double($0)) },
                "creation window: createdAfter inclusive, createdBefore exclusive")
            try expectEqual(window.total, 5, "creation window total")
            let nobody = try await context.readModel.query(TaskQuery(createdBy: "bob"))
            try expect(nobody.items.isEmpty && nobody.total == 0, "bob has no tasks but the query found some")
        },
        StoreCheck("query.deletedTasksNeverAppear") { context in
            let store = context.store
            let records = try await seeded(store)
            try await store.force(records[24].id) { $0.deletedAt = Sample.start }
            let result = try await context.readModel.query(TaskQuery(pageSize: 100))
            try expectEqual(result.total, 24, "total after one soft delete")
            try expect(!result.items.contains { $0.id == records[24].id }, "a deleted task was listed")
            let searched = try await context.readModel.query(TaskQuery(search: records[24].id.description))
            try expect(searched.items.isEmpty, "a deleted task was found by search")
        },
        StoreCheck("query.searchIsACaseInsensitiveLiteralSubstring") { context in
            let store = context.store
            let messages = [
                "100% done", "snake_case failure", "glob * failed", "it's broken", "said \"no\"",
                "back\\slash",
                "über limit", "plain",
            ]
            for (index, message) in messages.enumerated() {
                let record = try await store.insert(
                    Sample.record(type: "job", createdAt: Sample.start.addingTimeInterval(Double(index))))
                try await store.force(record.id) {
                    $0.status = .failed
                    $0.errorMessage = message
                }
            }
            for (search, matches) in searchCases {
                let result = try await context.readModel.query(TaskQuery(search: search, pageSize: 100))
                try expectEqual(
                    Set(result.items.compactMap(\.errorMessage)), Set(matches),
                    "messages matching '\(search)'")
                try expectEqual(result.total, matches.count, "total matching '\(search)'")
            }
        },
        StoreCheck("query.searchMatchesTypeAndIDAndEmptySearchMatchesAll") { context in
            let store = context.store
            let records = try await seeded(store)
            let byType = try await context.readModel.query(TaskQuery(search: "REPO", pageSize: 100))
            try expectEqual(
                byType.total, records.filter { $0.type == "report" }.count, "tasks matching 'REPO'")
            let target = records[7]
            let prefix = String(target.id.description.prefix(13)).uppercased()
            let byID = try await context.readModel.query(TaskQuery(search: prefix, pageSize: 100))
            try expectEqual(byID.items.map(\.id), [target.id], "tasks matching an id prefix")
            try expectEqual(
                try await context.readModel.query(TaskQuery(search: "", pageSize: 100)).total, 25,
                "empty search")
        },
    ]
}
