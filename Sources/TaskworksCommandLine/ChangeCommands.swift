import Foundation
import Taskworks

/// `cancel`, `retry`, `pause`, `resume` and `delete` of tasks by id (or a whole type), `prune` and
/// `settings`: changes, each through the service as the caller.
enum ChangeCommands {
    /// One change to one task, as the service makes it.
    typealias TaskChange = @Sendable (TaskService, TaskID, Caller) async throws -> TaskRecord?

    static let changes: [String: (verb: String, change: TaskChange)] = [
        "cancel": ("cancelled", { try await $0.cancel($1, as: $2) }),
        "retry": ("retried", { try await $0.retry($1, as: $2) }),
        "pause": ("paused", { try await $0.pause($1, as: $2) }),
        "resume": ("resumed", { try await $0.resume($1, as: $2) }),
        "delete": (
            "deleted",
            {
                try await $0.delete($1, as: $2)
                return nil
            }
        ),
    ]

    /// Applies `name`'s change to every id given, going on past failures; returns how many
    /// failed. `pause --type T` and `resume --type T` pause or resume a whole type instead.
    static func run(_ name: String, _ context: CommandContext) async throws -> Int {
        let arguments = context.arguments
        guard let (verb, change) = changes[name] else { return 0 }
        try arguments.checkKnown(options: name == "pause" || name == "resume" ? ["type"] : [])
        if let type = arguments.value("type") {
            _ = try arguments.positionals(exactly: 0, naming: "")
            let changed =
                name == "pause"
                ? try await context.service().pauseTaskType(type, as: context.caller)
                : try await context.service().resumeTaskType(type, as: context.caller)
            if context.json {
                context.output.line(
                    JSONValue.object([
                        "type": .string(type), "paused": .bool(name == "pause"), "changed": .bool(changed),
                    ])
                    .jsonText)
            } else {
                context.output.line("\(verb) type \(type)" + (changed ? "" : " (it already was)"))
            }
            return 0
        }
        guard !arguments.positionals.isEmpty else {
            throw CommandLineError.usage(
                "give one or more task ids" + (name == "pause" || name == "resume" ? ", or --type TYPE" : ""))
        }
        let ids = try arguments.positionals.map(TaskText.id)
        let service = try await context.service()
        var failures = 0
        for id in ids {
            do {
                let task = try await change(service, id, context.caller)
                if context.json {
                    context.output.line(
                        try task.map(TaskText.json)
                            ?? JSONValue.object(["id": .string(id.string), "deleted": .bool(true)]).jsonText)
                } else {
                    context.output.line(
                        "\(verb) \(id.string)" + (task.map { " (\($0.status.rawValue))" } ?? ""))
                }
            } catch let error as TaskworksError {
                failures += 1
                context.output.standardError(
                    "taskworks: \(id.string): \(error.code.name): \(error.message)\n")
            }
        }
        return failures
    }

    /// `prune --older-than 7d [--deleted-older-than 1d]`: removes finished tasks past the age
    /// (and deleted ones past theirs) with their artifacts, now. Admins and the system only.
    static func prune(_ context: CommandContext) async throws {
        let arguments = context.arguments
        try arguments.checkKnown(options: ["older-than", "deleted-older-than"])
        _ = try arguments.positionals(exactly: 0, naming: "")
        guard context.caller.seesEveryTask else {
            throw TaskworksError(
                code: .permissionDenied,
                message:
                    "prune removes every creator's tasks: run it as the system (the default) or --as admin:ID"
            )
        }
        guard let age = arguments.value("older-than") else {
            throw CommandLineError.usage("prune needs --older-than, such as --older-than 7d")
        }
        let policy = RetentionPolicy(
            keepFinishedFor: try DurationText.parse(age, option: "older-than"),
            keepDeletedFor: try arguments.value("deleted-older-than").map {
                try DurationText.parse($0, option: "deleted-older-than")
            } ?? .seconds(86_400), batchSize: 500)
        var removed = 0
        while true {
            let batch = try await context.service().pruneTasks(policy, maximumBatches: 1)
            guard batch > 0 else { break }
            removed += batch
            if context.output.isTerminal {
                context.output.standardError("\rpruning: \(removed) task(s) removed")
            }
        }
        if context.output.isTerminal && removed > 0 { context.output.standardError("\n") }
        if context.json {
            context.output.line(JSONValue.object(["removed": .integer(Int64(removed))]).jsonText)
        } else {
            context.output.line("removed \(removed) task(s)")
        }
    }

    /// `settings` shows the shared settings; `settings set max-concurrent-tasks N` changes them.
    static func settings(_ context: CommandContext) async throws {
        let arguments = context.arguments
        try arguments.checkKnown(options: [])
        var settings: TaskSettings
        let words = arguments.positionals
        if words.isEmpty {
            settings = try await context.service().settings(as: context.caller)
        } else if words.count == 3, words[0] == "set", words[1] == "max-concurrent-tasks" {
            let value = words[2]
            guard let number = Int(value) else {
                throw CommandLineError.usage("max-concurrent-tasks takes a whole number, not '\(value)'")
            }
            settings = try await context.service().settings(as: context.caller)
            settings.maxConcurrentTasks = number
            settings = try await context.service().updateSettings(settings, as: context.caller)
        } else {
            throw CommandLineError.usage("settings takes nothing, or: set max-concurrent-tasks N")
        }
        if context.json {
            context.output.line(
                JSONValue.object(["maxConcurrentTasks": .integer(Int64(settings.maxConcurrentTasks))])
                    .jsonText)
        } else {
            context.output.line("max-concurrent-tasks  \(settings.maxConcurrentTasks)")
        }
    }
}
