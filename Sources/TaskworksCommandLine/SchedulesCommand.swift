import Foundation
import Taskworks

/// `schedules` lists the schedules whose runs the store holds, with their last tick and newest
/// run; `schedules run NAME` starts a run now, a copy of the newest one, never beside an active run.
enum SchedulesCommand {
    static func run(_ context: CommandContext) async throws {
        let arguments = context.arguments
        try arguments.checkKnown(options: [])
        let words = arguments.positionals
        if words.isEmpty {
            try await list(context)
        } else if words.count == 2, words[0] == "run" {
            try await runNow(words[1], context)
        } else {
            throw CommandLineError.usage(
                "say `schedules` to list them or `schedules run NAME` to run one now")
        }
    }

    private static func list(_ context: CommandContext) async throws {
        let schedules = try await context.service().storedSchedules(as: context.caller)
        if context.json {
            for schedule in schedules {
                var fields: [String: JSONValue] = [
                    "name": .string(schedule.name), "taskType": .string(schedule.latestRun.type),
                    "storedRuns": .integer(Int64(schedule.storedRuns)),
                    "latestRun": try JSONValue(encoding: schedule.latestRun),
                ]
                fields["lastTick"] = schedule.lastTick.map { .string(TaskText.date($0)) } ?? .null
                context.output.line(JSONValue.object(fields).jsonText)
            }
            return
        }
        guard !schedules.isEmpty else {
            context.output.line("no schedule has a run in this store")
            return
        }
        var rows = [["SCHEDULE", "TYPE", "LAST TICK", "LATEST RUN", "STATUS", "CREATED", "RUNS STORED"]]
        for schedule in schedules {
            let run = schedule.latestRun
            rows.append([
                schedule.name, run.type, schedule.lastTick.map(TaskText.date) ?? "-", run.id.string,
                run.status.rawValue, TaskText.date(run.createdAt), "\(schedule.storedRuns)",
            ])
        }
        context.output.table(rows) { row, column, cell in
            column == 4 ? context.output.coloured(cell, for: schedules[row - 1].latestRun.status) : cell
        }
    }

    private static func runNow(_ name: String, _ context: CommandContext) async throws {
        let (created, run) = try await context.service().runStoredSchedule(name, as: context.caller)
        if context.json {
            context.output.line(
                JSONValue.object(["created": .bool(created), "task": try JSONValue(encoding: run)]).jsonText)
        } else if created {
            context.output.line("started \(name): task \(run.id.string) (\(run.type)), pending")
        } else {
            context.output.line(
                "\(name) did not start: its run \(run.id.string) is still \(run.status.rawValue)")
        }
    }
}
