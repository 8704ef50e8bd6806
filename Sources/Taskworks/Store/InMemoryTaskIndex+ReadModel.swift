import Foundation

/// The read model: pages in creation order (or sorted), counts from the per-(type, status)
/// totals, and a creator's recent tasks.
extension InMemoryTaskIndex {
    mutating func query(_ query: TaskQuery) -> TaskPage {
        let candidates: [OrderEntry]
        if let creator = query.createdBy {
            candidates = creatorOrder(creator)?.entries ?? []
        } else {
            candidates = order.entries
        }
        let offset = query.offset ?? Int.max
        let needle = query.foldedSearch.map { Array($0.utf8) }
        if needle != nil { makeSearchKeys(for: candidates) }
        let countsAreEnough = needle == nil && query.createdAfter == nil && query.createdBefore == nil
        switch query.sort {
        case .createdDescending, .createdAscending:
            var items: [TaskRecord] = []
            var matched = 0
            let knownTotal = countsAreEnough ? total(matching: query) : nil
            func visit(_ entry: OrderEntry) -> Bool {
                guard let record = match(entry.handle, query, needle: needle) else { return true }
                if matched >= offset && items.count < query.pageSize { items.append(record) }
                matched += 1
                // With the total known from counts, stop as soon as the page is full.
                return !(knownTotal != nil && items.count == query.pageSize)
            }
            if query.sort == .createdDescending {
                for entry in candidates.reversed() where !visit(entry) { break }
            } else {
                for entry in candidates where !visit(entry) { break }
            }
            return TaskPage(
                items: items, total: knownTotal ?? matched, page: query.page, pageSize: query.pageSize)
        case .priorityDescending, .updatedDescending:
            var matches: [(record: TaskRecord, sequence: UInt64)] = []
            for entry in candidates {
                if let record = match(entry.handle, query, needle: needle) {
                    matches.append((record, entry.sequence))
                }
            }
            matches.sort { lhs, rhs in
                if query.sort == .priorityDescending, lhs.record.priority != rhs.record.priority {
                    return lhs.record.priority > rhs.record.priority
                }
                if query.sort == .updatedDescending, lhs.record.updatedAt != rhs.record.updatedAt {
                    return lhs.record.updatedAt > rhs.record.updatedAt
                }
                if lhs.record.createdAt != rhs.record.createdAt {
                    return lhs.record.createdAt > rhs.record.createdAt
                }
                return lhs.sequence > rhs.sequence
            }
            let start = min(offset, matches.count)
            let end = min(start + query.pageSize, matches.count)
            return TaskPage(
                items: matches[start..<end].map(\.record), total: matches.count, page: query.page,
                pageSize: query.pageSize)
        }
    }

    func counts(createdBy: String?) -> TaskCounts {
        var result = TaskCounts()
        let creator = createdBy.map { creators.existingNumber(of: $0) }
        if creator == .some(nil) { return result }
        counts.forEach(creator: creator ?? nil) { type, status, count in
            guard count > 0 else { return }
            result.byStatus[status, default: 0] += count
            result.byType[types.names[Int(type)], default: 0] += count
        }
        return result
    }

    /// The creation order of `creator`'s tasks, if it has any.
    func creatorOrder(_ creator: String) -> CreationOrder? {
        guard let number = creators.existingNumber(of: creator), Int(number) < orderByCreator.count else {
            return nil
        }
        return orderByCreator[Int(number)]
    }

    /// Makes the search keys the candidates lack (each is kept until its task's error changes).
    mutating func makeSearchKeys(for candidates: [OrderEntry]) {
        for entry in candidates where slots[entry.handle].searchKey == nil && !slots[entry.handle].isRemoved {
            slots[entry.handle].searchKey = TaskQuery.searchKey(of: slots[entry.handle].record)
        }
    }

    func recentTasks(createdBy: String, createdSince: Date, limit: Int) -> [TaskRecord] {
        guard limit > 0, let entries = creatorOrder(createdBy)?.entries,
            let creator = creators.existingNumber(of: createdBy)
        else { return [] }
        var activeTotal = 0
        counts.forEach(creator: creator) { _, status, count in
            if status.isActive { activeTotal += count }
        }
        var found: [TaskRecord] = []
        var activeSeen = 0
        for entry in entries.reversed() {
            // Past the cut-off only active tasks qualify; stop once all of them were seen.
            if entry.createdAt < createdSince && activeSeen >= activeTotal { break }
            let record = slots[entry.handle].record
            guard record.deletedAt == nil, !slots[entry.handle].isRemoved else { continue }
            let isActive = record.status.isActive
            if isActive { activeSeen += 1 }
            if isActive || record.createdAt >= createdSince {
                found.append(record)
                if found.count == limit { break }
            }
        }
        return found
    }

    /// The task at `handle` if it passes every filter of `query`, search included; the fields
    /// are read in place and the record is copied only when it matches.
    func match(_ handle: Int, _ query: TaskQuery, needle: [UInt8]?) -> TaskRecord? {
        guard !slots[handle].isRemoved, query.matchesIgnoringSearch(slots[handle].record) else { return nil }
        if let needle, !SubstringSearch.contains(slots[handle].searchKey ?? "", needle) { return nil }
        return slots[handle].record
    }

    func total(matching query: TaskQuery) -> Int {
        let creator = query.createdBy.map { creators.existingNumber(of: $0) }
        if creator == .some(nil) { return 0 }
        var total = 0
        counts.forEach(creator: creator ?? nil) { type, status, count in
            if let statuses = query.statuses, !statuses.contains(status) { return }
            if let wanted = query.types, !wanted.contains(types.names[Int(type)]) { return }
            total += count
        }
        return total
    }
}
