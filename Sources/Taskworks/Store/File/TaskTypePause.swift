/// A task type paused or resumed, as the file store keeps it: one record
/// `{"taskType": name, "paused": true|false}` in the journal when it changes, and one
/// (`paused: true`) per paused type in the snapshot.
struct TaskTypePause: Sendable, Hashable {
    let type: String
    let paused: Bool

    /// Appends the record's JSON object.
    func appendJSON(to bytes: inout [UInt8]) {
        JSONObjectWriter.append(to: &bytes) { writer in
            writer.string("taskType", type)
            writer.bool("paused", paused)
        }
    }
}
