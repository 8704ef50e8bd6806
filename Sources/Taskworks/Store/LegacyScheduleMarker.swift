import Foundation

/// How Taskworks before file format 3 and PostgreSQL schema 3 kept a schedule's last tick: as a
/// soft-deleted task of type `taskworks.schedule` with a fixed id per schedule name, the
/// schedule's name in its payload and the tick (seconds since 2001) as its result. Stores turn
/// such records into schedule state when they open data written that way.
enum LegacyScheduleMarker {
    /// The type those records had.
    static let taskType = "taskworks.schedule"

    /// The schedule name and tick a legacy marker holds, or `nil` when `task` is not one. A task
    /// counts as a marker only with every mark of one (type, deleted, the id derived from its
    /// schedule's name), so a host's own task type of that name is never taken for one.
    static func tick(from task: TaskRecord) -> (name: String, tick: Date)? {
        guard task.type == taskType, task.deletedAt != nil,
            case .object(let payload)? = task.payload, case .string(let name)? = payload["schedule"],
            task.id == id(for: name)
        else { return nil }
        switch task.result {
        case .double(let seconds)?: return (name, Date(timeIntervalSinceReferenceDate: seconds))
        case .integer(let seconds)?: return (name, Date(timeIntervalSinceReferenceDate: Double(seconds)))
        default: return (name, .distantPast)
        }
    }

    /// The id the legacy scheduler gave schedule `name`'s record (FNV-1a over the name, twice).
    static func id(for name: String) -> TaskID {
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in "taskworks.schedule:\(name)".utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            return hash
        }
        let high = fnv(0xcbf2_9ce4_8422_2325)
        let low = fnv(0x8422_2325_cbf2_9ce4)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (8 * UInt64(7 - index)))
            bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (8 * UInt64(7 - index)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8: custom
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return TaskID(
            uuid: UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                    bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                )))
    }
}
