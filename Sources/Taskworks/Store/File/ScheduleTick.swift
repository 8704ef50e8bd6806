import Foundation

/// A schedule's last fired tick as the file store keeps it: one record
/// `{"schedule": name, "lastTick": seconds since 2001}` in the journal when it moves, and one per
/// schedule in the snapshot.
struct ScheduleTick: Sendable, Hashable {
    let name: String
    let tick: Date

    /// Appends the record's JSON object.
    func appendJSON(to bytes: inout [UInt8]) {
        JSONObjectWriter.append(to: &bytes) { writer in
            writer.string("schedule", name)
            writer.date("lastTick", tick)
        }
    }
}
