import Foundation
import Taskworks

/// `tail`: prints each change to the tasks the caller sees as it happens, whichever process
/// made it, like `tail -f`. It reads the store every `--interval` (default 1 s), newest changes
/// first, and prints every task whose version moved since it last looked.
enum TailCommand {
    static func run(_ context: CommandContext) async throws {
        let arguments = context.arguments
        try arguments.checkKnown(options: ["interval", "count", "for", "type"])
        _ = try arguments.positionals(exactly: 0, naming: "")
        let interval =
            try arguments.value("interval").map { try DurationText.parse($0, option: "interval") }
            ?? .seconds(1)
        guard interval >= .milliseconds(10) else {
            throw CommandLineError.usage("--interval must be at least 10ms")
        }
        let limit = try arguments.integer("count", in: 1...Int.max, default: Int.max)
        let stopAt = try arguments.value("for").map {
            ContinuousClock.now + (try DurationText.parse($0, option: "for"))
        }
        let types = arguments.list("type")
        var seen: [TaskID: (version: UInt64, updatedAt: Date)] = [:]
        var watermark = Date.distantPast
        var printed = 0
        // What is there now is the starting point, not news.
        _ = try await changes(context, types: types, since: &watermark, seen: &seen)
        context.output.standardError("taskworks tail: watching for changes (every \(interval))\n")
        while printed < limit {
            if let stopAt, ContinuousClock.now >= stopAt { break }
            try await Task.sleep(for: interval)
            for task in try await changes(context, types: types, since: &watermark, seen: &seen) {
                if context.json {
                    context.output.line(try TaskText.json(task))
                } else {
                    context.output.line(
                        [
                            TaskText.date(task.updatedAt), task.id.string, task.type,
                            context.output.coloured(task.status.rawValue, for: task.status),
                            "\(task.progress)%",
                        ].joined(separator: "  "))
                }
                printed += 1
                if printed >= limit { break }
            }
        }
    }

    /// The tasks changed since the last look, oldest change first. Reads pages of most recently
    /// updated tasks until a page reaches a minute before the newest change seen (clocks of
    /// different processes may disagree a little); only changes from that minute on count, and
    /// versions a minute older than that are forgotten.
    private static func changes(
        _ context: CommandContext, types: [String], since watermark: inout Date,
        seen: inout [TaskID: (version: UInt64, updatedAt: Date)]
    ) async throws -> [TaskRecord] {
        let horizon = watermark.addingTimeInterval(-60)
        var changed: [TaskRecord] = []
        let recent = try await context.service().tasksChanged(
            since: horizon, types: types.isEmpty ? nil : Set(types), as: context.caller, maximumPages: 100)
        for task in recent where (seen[task.id]?.version ?? 0) < task.version {
            seen[task.id] = (task.version, task.updatedAt)
            changed.append(task)
            watermark = max(watermark, task.updatedAt)
        }
        let forgotten = watermark.addingTimeInterval(-120)
        seen = seen.filter { $0.value.updatedAt >= forgotten }
        return changed.sorted { ($0.updatedAt, $0.version) < ($1.updatedAt, $1.version) }
    }
}
