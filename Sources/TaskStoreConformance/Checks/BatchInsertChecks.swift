import Foundation
import Taskworks
import TaskworksTesting

/// Batch inserts: `insert(contentsOf:)` stores every task or none, resolving unique keys in order.
enum BatchInsertChecks {
    static let all: [StoreCheck] = [
        StoreCheck("batch.storesEveryTaskInOrderAsVersionOne") { context in
            let store = context.store
            let batch = (0..<5).map { index in
                var record = Sample.record(
                    priority: index, createdAt: Sample.start.addingTimeInterval(Double(index)))
                record.version = 7  // the store sets version 1, whatever it is given
                return record
            }
            let stored = try await store.insert(contentsOf: batch)
            let expected = batch.map { record in
                var copy = record
                copy.version = 1
                return copy
            }
            try expectEqual(stored, expected, "the records a batch insert returns")
            let other = try await context.openAnotherHandle()
            for record in expected {
                try expectEqual(
                    try await other.task(id: record.id), record, "a batched task read by another handle")
            }
            try expectEqual(try await store.insert(contentsOf: []), [], "an empty batch")
            try expectEqual(try await context.readModel.counts(createdBy: nil).total, 5, "tasks stored")
        },
        StoreCheck("batch.resolvesUniqueKeysAgainstStoredAndEarlierTasks") { context in
            let store = context.store
            let holder = try await store.insert(Sample.record(uniqueKey: "nightly"))
            let batch = [
                Sample.record(uniqueKey: "nightly"), Sample.record(uniqueKey: "weekly"),
                Sample.record(uniqueKey: "weekly"), Sample.record(),
            ]
            let stored = try await store.insert(contentsOf: batch)
            try expectEqual(
                stored.map(\.id), [holder.id, batch[1].id, batch[1].id, batch[3].id], "ids returned")
            try expect(
                try await store.task(id: batch[2].id) == nil,
                "a task whose key an earlier one took was stored")
            try expectEqual(try await context.readModel.counts(createdBy: nil).total, 3, "tasks stored")
        },
        StoreCheck("batch.aDuplicateIDStoresNothing") { context in
            let store = context.store
            let existing = try await store.insert(Sample.record(priority: 3))
            var copy = existing
            copy.priority = 9
            let first = Sample.record()
            let last = Sample.record(uniqueKey: "after")
            try await expectThrows("a batch holding an id that exists", code: .duplicateTaskID) {
                _ = try await store.insert(contentsOf: [first, copy, last])
            }
            let twice = Sample.record()
            try await expectThrows("a batch holding one id twice", code: .duplicateTaskID) {
                _ = try await store.insert(contentsOf: [twice, Sample.record(), twice])
            }
            for id in [first.id, last.id, twice.id] {
                try expect(try await store.task(id: id) == nil, "a task of a refused batch was stored")
            }
            try expectEqual(try await store.task(id: existing.id)?.priority, 3, "priority of the original")
            let afterKey = try await store.insert(Sample.record(uniqueKey: "after"))
            try expect(afterKey.id != last.id, "a refused batch left its unique key held")
            try expectEqual(try await context.readModel.counts(createdBy: nil).total, 2, "tasks stored")
        },
        StoreCheck("batch.aLargeBatchIsStoredWhole") { context in
            let store = context.store
            let batch = (0..<2_500).map { index in
                Sample.record(createdAt: Sample.start.addingTimeInterval(Double(index) / 1_000))
            }
            let stored = try await store.insert(contentsOf: batch)
            try expectEqual(stored.map(\.id), batch.map(\.id), "ids returned for 2,500 tasks")
            let other = try await context.openAnotherHandle()
            try expectEqual(
                try await readModelServing(other).counts(createdBy: nil).total, 2_500,
                "tasks another handle sees")
            let claimed = try await other.claim(
                Sample.claim(now: Sample.start.addingTimeInterval(10), limit: 3))
            try expectEqual(claimed.map(\.id), Array(batch.prefix(3).map(\.id)), "the first tasks claimed")
        },
    ]
}
