import Foundation

/// Claiming: the ready queues per type, the delayed heap, and the lease sweep's read.
extension InMemoryTaskIndex {
    mutating func claim(_ request: TaskClaimRequest) -> [TaskRecord] {
        let now = request.now
        if now > latestClaimTime { latestClaimTime = now }
        promoteDueTasks(now: now)
        let candidates = claimableTypeNumbers(request.types)
        let leaseExpiry = request.leaseExpiry
        var claimed: [TaskRecord] = []
        claimed.reserveCapacity(min(request.limit, 64))
        while claimed.count < request.limit, let entry = popBestReady(among: candidates) {
            let handle = entry.handle
            let runAfter = slots[handle].record.runAfter
            if runAfter > now {
                // Only possible when claimers' clocks disagree: keep it for later.
                delayed.insert(
                    DelayedEntry(
                        runAfter: runAfter, sequence: entry.sequence, handle: handle, serial: entry.serial))
                continue
            }
            // The entry is current, so the task is pending and not deleted: pending → running
            // moves one count, marks it running and keeps its unique key and search text. The
            // record changes in place (no copy while nothing else holds it).
            adjustCounts(at: handle, status: .pending, by: -1)
            slots[handle].record.withFields { request.apply(to: &$0, leaseExpiry: leaseExpiry) }
            adjustCounts(at: handle, status: .running, by: 1)
            markRunning(handle)
            claimed.append(slots[handle].record)
        }
        return claimed
    }

    /// The type numbers a claim may take from: the requested types (every type when `nil`) that
    /// are not paused and have a claim heap.
    func claimableTypeNumbers(_ requested: Set<String>?) -> [Int] {
        var numbers: [Int]
        if let requested {
            numbers = requested.compactMap { types.existingNumber(of: $0).map(Int.init) }.filter {
                $0 < ready.count
            }
        } else {
            numbers = Array(ready.indices)
        }
        if !pausedTypes.isEmpty {
            numbers.removeAll { pausedTypes.contains(types.names[$0]) }
        }
        return numbers
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
        let sequence = slots[handle].sequence
        let runAfter = slots[handle].record.runAfter
        // Due by the claimers' clock, or not delayed at all (due when it was made; a claimer
        // whose clock runs behind puts it back, see claim(_:)).
        if runAfter <= latestClaimTime || runAfter <= slots[handle].record.createdAt {
            makeReady(handle, sequence: sequence, serial: nextSerial)
        } else {
            delayed.insert(
                DelayedEntry(runAfter: runAfter, sequence: sequence, handle: handle, serial: nextSerial))
        }
    }

    /// Puts the task at `handle` in its type's claim heap.
    private mutating func makeReady(_ handle: Int, sequence: UInt64, serial: UInt64) {
        let type = Int(slots[handle].typeNumber)
        if ready.count <= type {
            ready.append(contentsOf: repeatElement(ReadyQueue(), count: type + 1 - ready.count))
        }
        ready[type].insert(
            ReadyEntry(
                priority: slots[handle].record.priority, createdAt: slots[handle].record.createdAt,
                sequence: sequence, handle: handle, serial: serial))
    }

    func isCurrent(handle: Int, serial: UInt64) -> Bool {
        slots[handle].scheduleSerial == serial && slots[handle].record.status == .pending
            && slots[handle].record.deletedAt == nil && !slots[handle].isRemoved
    }

    mutating func promoteDueTasks(now: Date) {
        while let next = delayed.min, next.runAfter <= now {
            delayed.popMin()
            guard isCurrent(handle: next.handle, serial: next.serial) else { continue }
            makeReady(next.handle, sequence: next.sequence, serial: next.serial)
        }
    }

    /// Pops the best current entry among the claim heaps of `candidates` (type numbers),
    /// dropping stale entries on the way.
    mutating func popBestReady(among candidates: [Int]) -> ReadyEntry? {
        var bestType: Int?
        var best: ReadyEntry?
        for type in candidates {
            while let top = ready[type].min, !isCurrent(handle: top.handle, serial: top.serial) {
                ready[type].popMin()
            }
            if let top = ready[type].min, best.map({ top < $0 }) ?? true {
                best = top
                bestType = type
            }
        }
        guard let bestType else { return nil }
        return ready[bestType].popMin()
    }
}
