/// What one simulated run did and found: the simulator's JSON line.
package struct SimulationReport: Sendable {
    /// The seed that replays this run.
    package var seed: UInt64
    /// Steps taken.
    package var steps = 0
    /// Simulated processes sharing the store.
    package var processes = 0
    /// Tasks whose create was acknowledged.
    package var tasks = 0
    /// Processes crashed (their attempts gone, their leases left to run out).
    package var crashes = 0
    /// Attempts that ended with their outcome stored.
    package var outcomes = 0
    /// Writes refused because the attempt no longer held its lease.
    package var refusedWrites = 0
    /// Leases rescued after they ran out.
    package var rescues = 0
    /// Every invariant broken, with the step it broke at.
    package var violations: [String] = []
    /// FNV-1a over every step's action and result: the same seed gives the same hash.
    package var traceHash: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Adds `text` to the trace.
    mutating func trace(_ text: String) {
        for byte in text.utf8 {
            traceHash = (traceHash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
    }

    /// The report as one JSON object.
    package var jsonLine: String {
        var object: [String: JSONValue] = [
            "seed": .string(String(seed)), "steps": .integer(Int64(steps)),
            "processes": .integer(Int64(processes)), "tasks": .integer(Int64(tasks)),
            "crashes": .integer(Int64(crashes)), "outcomes": .integer(Int64(outcomes)),
            "refused_writes": .integer(Int64(refusedWrites)), "rescues": .integer(Int64(rescues)),
            "violations": .integer(Int64(violations.count)),
            "trace_hash": .string(String(traceHash, radix: 16)),
        ]
        if let first = violations.first { object["first_violation"] = .string(first) }
        return JSONValue.object(object).jsonText
    }
}
