import Foundation
import Taskworks

/// `stats`: per type and in total, tasks created, started, succeeded and failed over a recent
/// window, the queue depth now and at its highest, the wait from creation to start, and the
/// busiest and slowest types, from ``TaskService/statistics(over:as:)``.
enum StatsCommand {
    static func run(_ context: CommandContext) async throws {
        let arguments = context.arguments
        try arguments.checkKnown(options: ["window"])
        _ = try arguments.positionals(exactly: 0, naming: "")
        let window =
            try arguments.value("window").map { try DurationText.parse($0, option: "window") }
            ?? .seconds(3_600)
        let stats = try await context.service().statistics(over: window, as: context.caller)
        if context.json {
            context.output.line(stats.jsonValue.jsonText)
            return
        }
        var rows = [
            ["TYPE", "CREATED", "STARTED", "SUCCEEDED", "FAILED", "STARTED/MIN", "DEPTH NOW", "DEPTH MAX"]
        ]
        let named =
            stats.byType.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + [("(all)", stats.total)]
        for (type, series) in named {
            let started = series.started.reduce(0, +)
            rows.append([
                type, "\(series.created.reduce(0, +))", "\(started)", "\(series.succeeded.reduce(0, +))",
                "\(series.failed.reduce(0, +))",
                String(format: "%.1f", Double(started) / Double(max(1, stats.minutes))),
                "\(series.queueDepth.last ?? 0)", "\(series.queueDepth.max() ?? 0)",
            ])
        }
        context.output.table(rows)
        context.output.line(
            "last \(stats.minutes) minute(s) from \(TaskText.date(stats.start)); started per minute: "
                + sparkline(stats.total.started))
        context.output.line(
            "wait from created to started: p50 \(seconds(stats.waitP50)), p95 \(seconds(stats.waitP95))")
        context.output.line("busiest: \(list(stats.busiestTypes)); slowest: \(list(stats.slowestTypes))")
    }

    /// One block character per minute, scaled to the busiest minute.
    static func sparkline(_ values: [Int]) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        let highest = max(1, values.max() ?? 1)
        return String(values.map { blocks[min(blocks.count - 1, $0 * (blocks.count - 1) / highest)] })
    }

    static func seconds(_ value: Duration?) -> String {
        guard let seconds = value?.timeInterval else { return "-" }
        return seconds < 1 ? String(format: "%.0f ms", seconds * 1_000) : String(format: "%.1f s", seconds)
    }

    static func list(_ names: [String]) -> String { names.isEmpty ? "-" : names.joined(separator: ", ") }
}
