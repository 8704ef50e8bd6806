import Foundation
import Testing

@testable import Taskworks

@Suite("Due dates an idle pool wakes for")
struct DueDatesTests {
    let claimTime = Date(timeIntervalSince1970: 1_000_000)

    @Test func aDateRecordedWhileAClaimRanIsKeptThoughItIsEarlierThanTheClaim() {
        // The claim may have read the store before the retry was written: the next claim must
        // look again, so the date stays and the idle loop claims again at once.
        var dates = DueDates()
        let mark = dates.mark
        let due = claimTime.addingTimeInterval(-0.005)
        dates.record(due)
        #expect(dates.earliest(afterClaimAt: claimTime, mark: mark) == due)
        // A claim begun after the date was recorded, looking past it, has seen the task.
        let laterMark = dates.mark
        #expect(dates.earliest(afterClaimAt: claimTime, mark: laterMark) == nil)
    }

    @Test(arguments: [-1.0, 0.0, 0.02, 3600.0])
    func theEarliestDateNotYetSeenIsReturned(offset: TimeInterval) {
        var dates = DueDates()
        let seenBefore = claimTime.addingTimeInterval(-2)
        dates.record(claimTime.addingTimeInterval(7200))
        dates.record(seenBefore)
        let mark = dates.mark
        dates.record(claimTime.addingTimeInterval(offset))
        // `seenBefore` was recorded before the claim began and lies before its time: forgotten.
        #expect(dates.earliest(afterClaimAt: claimTime, mark: mark) == claimTime.addingTimeInterval(offset))
        // Once a later claim looked past every date, none is left.
        let laterMark = dates.mark
        #expect(dates.earliest(afterClaimAt: claimTime.addingTimeInterval(9000), mark: laterMark) == nil)
    }
}
