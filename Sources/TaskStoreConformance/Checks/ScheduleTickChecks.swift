import Foundation
import Taskworks

/// Schedule state: each schedule's last tick, recorded once across handles, kept apart from tasks.
enum ScheduleTickChecks {
    static let all: [StoreCheck] = [
        StoreCheck("schedule.eachTickIsRecordedOnceAcrossHandles", requires: .scheduleTicks) { context in
            let store = try scheduleTicks(context.store)
            let second = try scheduleTicks(try await context.openAnotherHandle())
            let first = Sample.start.addingTimeInterval(0.123_456_789)
            let later = first.addingTimeInterval(60.5)
            try expectEqual(try await store.lastScheduleTick("nightly"), nil, "a schedule that never fired")
            try expect(try await store.claimScheduleTick("nightly", tick: first), "recording a first tick")
            try expect(
                !(try await store.claimScheduleTick("nightly", tick: first)), "recording the same tick again")
            try expect(
                !(try await second.claimScheduleTick("nightly", tick: first)),
                "the same tick from a second handle")
            try expect(
                !(try await store.claimScheduleTick("nightly", tick: first.addingTimeInterval(-60))),
                "recording an earlier tick")
            try expectEqual(try await second.lastScheduleTick("nightly"), first, "the last tick, to the bit")
            try expect(
                try await store.claimScheduleTick("hourly", tick: Sample.start), "another schedule's tick")
            let handles: [any TaskScheduleTickStore] = [store, second]
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask { try await handles[index % 2].claimScheduleTick("nightly", tick: later) }
                }
                var wins = 0
                for try await won in group where won { wins += 1 }
                return wins
            }
            try expectEqual(wins, 1, "racing recorders of one tick that were told they recorded it")
            try expectEqual(
                try await store.lastScheduleTick("nightly"), later, "the last tick after the race")
            try expectEqual(
                try await store.lastScheduleTick("hourly"), Sample.start, "the other schedule's tick")
            try expectEqual(try await store.scanTasks(after: nil, limit: 10), [], "tasks scanned")
            try expectEqual(try await context.readModel.counts(createdBy: nil).total, 0, "tasks counted")
            let reopened = try scheduleTicks(try await context.openAnotherHandle())
            try expectEqual(try await reopened.lastScheduleTick("nightly"), later, "the last tick, read anew")
        }
    ]
}
