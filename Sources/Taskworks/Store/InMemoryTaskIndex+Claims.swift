import Foundation

/// Claiming: the ready heaps per type, the delayed heap, and the lease sweep's read.
extension InMemoryTaskIndex {
    mutating func claim(_ request: TaskClaimRequest) -> [TaskRecord] {
        let now = request.now
        if now > latestClaimTime { latestClaimTime = now }
        promoteDueTasks(now: now)
        var claimed: [TaskRecord] = []
        while claimed.count < request.limit, let entry = popBestReady(types: request.types) {
            let current = slots[entry.handle].record
            if current.runAfter > now {
                // Only possible when claimers' clocks disagree: keep it for later.
                delayed.insert(
                    DelayedEntry(
                        runAfter: current.runAfter, sequence: entry.sequence, handle: entry.handle,
                        serial: entry.serial))
                continue
            }
            let record = request.claimed(current)
            store(record, replacing: current, at: entry.handle)
            claimed.append(record)
        }
        return claimed
    }

    func expiredLeases(at now: Date, limit: Int) -> [TaskRecord] {
        let expired = running.compactMap { handle -> TaskRecord? in
            guard let expiry = slots[handle].record.leaseExpiresAt, expiry < now else { return nil }
            return slots[handle].record
        }
        return Array(
            expired.sorted { ($0.leaseExpiresAt ?? now) < ($1.leaseExpiresAt ?? now) }.prefix(limit))
    }

    mutating func schedule(_ handle: Int) {
        nextSerial += 1
        slots[handle].scheduleSerial = nextSerial
        let record = slots[handle].record
        let sequence = slots[handle].sequence
        if record.runAfter <= latestClaimTime {
            readyByType[record.type, default: BinaryHeap()].insert(
                ReadyEntry(
                    priority: record.priority, createdAt: record.createdAt, sequence: sequence,
                    handle: handle, serial: nextSerial))
        } else {
            delayed.insert(
                DelayedEntry(
                    runAfter: record.runAfter, sequence: sequence, handle: handle, serial: nextSerial))
        }
    }

    func isCurrent(handle: Int, serial: UInt64) -> Bool {
        slots[handle].scheduleSerial == serial && slots[handle].record.status == .pending
            && slots[handle].record.deletedAt == nil && !slots[handle].isRemoved
    }

    mutating func promoteDueTasks(now: Date) {
        while let next = delayed.min, next.runAfter <= now {
            delayed.popMin()
            guard isCurrent(handle: next.handle, serial: next.serial) else { continue }
            let record = slots[next.handle].record
            readyByType[record.type, default: BinaryHeap()].insert(
                ReadyEntry(
                    priority: record.priority, createdAt: record.createdAt, sequence: next.sequence,
                    handle: next.handle, serial: next.serial))
        }
    }

    /// Pops the best current entry among the allowed types, dropping stale entries on the way.
    mutating func popBestReady(types: Set<String>?) -> ReadyEntry? {
        var bestType: String?
        var best: ReadyEntry?
        let candidateTypes = types.map(Array.init) ?? Array(readyByType.keys)
        for type in candidateTypes where !pausedTypes.contains(type) {
            guard var heap = readyByType[type] else { continue }
            readyByType[type] = nil  // keep the heap uniquely referenced while it changes
            while let top = heap.min, !isCurrent(handle: top.handle, serial: top.serial) {
                heap.popMin()
            }
            if let top = heap.min, best.map({ top < $0 }) ?? true {
                best = top
                bestType = type
            }
            if !heap.isEmpty { readyByType[type] = heap }
        }
        guard let bestType else { return nil }
        return readyByType[bestType]?.popMin()
    }
}
