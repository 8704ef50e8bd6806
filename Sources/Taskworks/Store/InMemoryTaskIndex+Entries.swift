import Foundation

/// The index's entry types: heap entries for claiming, creation-order entries for listing, and
/// the key of the per-(type, status) counts.
extension InMemoryTaskIndex {
    struct ReadyEntry: Comparable {
        let priority: Int
        let createdAt: Date
        let sequence: UInt64
        let handle: Int
        let serial: UInt64

        /// "Comes out first": higher priority, then older, then inserted earlier.
        static func < (lhs: ReadyEntry, rhs: ReadyEntry) -> Bool {
            if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
            if lhs.createdAt != rhs.createdAt { return lhs.createdAt < rhs.createdAt }
            return lhs.sequence < rhs.sequence
        }

        static func == (lhs: ReadyEntry, rhs: ReadyEntry) -> Bool {
            lhs.sequence == rhs.sequence && lhs.serial == rhs.serial
        }
    }

    struct DelayedEntry: Comparable {
        let runAfter: Date
        let sequence: UInt64
        let handle: Int
        let serial: UInt64

        static func < (lhs: DelayedEntry, rhs: DelayedEntry) -> Bool {
            if lhs.runAfter != rhs.runAfter { return lhs.runAfter < rhs.runAfter }
            return lhs.sequence < rhs.sequence
        }

        static func == (lhs: DelayedEntry, rhs: DelayedEntry) -> Bool {
            lhs.sequence == rhs.sequence && lhs.serial == rhs.serial
        }
    }

    struct CountKey: Hashable {
        let type: String
        let status: TaskStatus
    }

    struct OrderEntry {
        let createdAt: Date
        let sequence: UInt64
        let handle: Int

        func precedes(_ other: OrderEntry) -> Bool {
            createdAt != other.createdAt ? createdAt < other.createdAt : sequence < other.sequence
        }
    }

    /// Tasks sorted by (createdAt, insertion order). Appending is O(1) when creation dates
    /// arrive in order, as they do with a real clock.
    struct CreationOrder {
        var entries: [OrderEntry] = []

        mutating func insert(_ entry: OrderEntry) {
            if let last = entries.last, entry.precedes(last) {
                var low = 0
                var high = entries.count
                while low < high {
                    let mid = (low + high) / 2
                    if entries[mid].precedes(entry) { low = mid + 1 } else { high = mid }
                }
                entries.insert(entry, at: low)
            } else {
                entries.append(entry)
            }
        }
    }
}
