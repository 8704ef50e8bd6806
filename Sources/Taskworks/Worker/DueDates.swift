import Foundation

/// When work this process made claimable later comes due (retries a pool scheduled, delayed
/// tasks created here), so that an idle pool wakes for it before its next poll.
///
/// A date is forgotten only after a claim that began after the date was recorded looked at a
/// time past it: that claim read a store which already held the task, so it saw the task due. A
/// date recorded while a claim ran stays, however early it is: that claim may have read the
/// store before the task was written there, and the next claim must look again.
struct DueDates: Sendable {
    private var entries: [(date: Date, serial: UInt64)] = []
    private var nextSerial: UInt64 = 0

    /// Records that work becomes claimable at `date`.
    mutating func record(_ date: Date) {
        entries.append((date, nextSerial))
        nextSerial &+= 1
    }

    /// A mark to take just before a claim begins, for ``earliest(afterClaimAt:mark:)``.
    var mark: UInt64 { nextSerial }

    /// Forgets the dates that the claim begun at `mark`, asking for work due at `claimTime`,
    /// has seen, and returns the earliest date left.
    mutating func earliest(afterClaimAt claimTime: Date, mark: UInt64) -> Date? {
        entries.removeAll { $0.date <= claimTime && $0.serial < mark }
        return entries.lazy.map(\.date).min()
    }
}
