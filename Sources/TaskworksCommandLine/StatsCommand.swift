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
            context.output.line(json(stats).jsonText)
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

    static func json(_ stats: TaskStatistics) -> JSONValue {
        func series(_ series: TaskStatistics.Series) -> JSONValue {
            func numbers(_ values: [Int]) -> JSONValue { .array(values.map { .integer(Int64($0)) }) }
            return .object([
                "created": numbers(series.created), "started": numbers(series.started),
                "succeeded": numbers(series.succeeded), "failed": numbers(series.failed),
                "queueDepth": numbers(series.queueDepth),
            ])
        }
        func duration(_ value: Duration?) -> JSONValue {
            value.map { .double(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) }
                ?? .null
        }
        return .object([
            "start": .string(TaskText.date(stats.start)), "minutes": .integer(Int64(stats.minutes)),
            "total": series(stats.total), "byType": .object(stats.byType.mapValues(series)),
            "waitP50Seconds": duration(stats.waitP50), "waitP95Seconds": duration(stats.waitP95),
            "busiestTypes": .array(stats.busiestTypes.map { .string($0) }),
            "slowestTypes": .array(stats.slowestTypes.map { .string($0) }),
        ])
    }

    /// One block character per minute, scaled to the busiest minute.
    static func sparkline(_ values: [Int]) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        let highest = max(1, values.max() ?? 1)
        return String(values.map { blocks[min(blocks.count - 1, $0 * (blocks.count - 1) / highest)] })
    }

    static func seconds(_ value: Duration?) -> String {
        guard let value else { return "-" }
        let seconds = Double(value.components.seconds) + Double(value.components.attoseconds) / 1e18
        return seconds < 1 ? String(format: "%.0f ms", seconds * 1_000) : String(format: "%.1f s", seconds)
    }

    static func list(_ names: [String]) -> String { names.isEmpty ? "-" : names.joined(separator: ", ") }
}
