import Foundation
import Taskworks

/// What every subcommand works with: the service over the chosen store, the caller it acts as,
/// where it writes, and its arguments.
package struct CommandContext: Sendable {
    /// Opens the store (once) and gives the service every action goes through. Commands call it
    /// after checking their arguments, so a usage error never waits for a store.
    package var service: @Sendable () async throws -> TaskService
    /// Who the command acts as.
    package var caller: Caller
    /// Where results and errors go.
    package var output: CommandOutput
    /// The command line after the subcommand.
    package var arguments: CommandArguments
    /// Whether to print JSON lines instead of tables.
    package var json: Bool { arguments.flags.contains("json") }
}

/// `list`, `show` and `counts`: reading tasks as the caller sees them.
enum ReadCommands {
    static func list(_ context: CommandContext) async throws {
        let arguments = context.arguments
        try arguments.checkKnown(options: [
            "status", "type", "creator", "search", "page", "page-size", "sort",
        ])
        _ = try arguments.positionals(exactly: 0, naming: "")
        var statuses: Set<TaskStatus>?
        if !arguments.list("status").isEmpty {
            statuses = try Set(
                arguments.list("status").map { name in
                    guard let status = TaskStatus(rawValue: name) else {
                        throw CommandLineError.usage(
                            "--status takes \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'"
                        )
                    }
                    return status
                })
        }
        var sort = TaskSort.createdDescending
        if let name = arguments.value("sort") {
            guard let chosen = TaskSort(rawValue: name) else {
                throw CommandLineError.usage(
                    "--sort takes \(TaskSort.allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'"
                )
            }
            sort = chosen
        }
        let types = arguments.list("type")
        let query = TaskQuery(
            statuses: statuses, types: types.isEmpty ? nil : Set(types),
            createdBy: arguments.value("creator"),
            search: arguments.value("search"), sort: sort,
            page: try arguments.integer("page", in: 1...1_000_000, default: 1),
            pageSize: try arguments.integer("page-size", in: 1...100, default: 20))
        let page = try await context.service().list(query, as: context.caller)
        if context.json {
            for task in page.items { context.output.line(try TaskText.json(task)) }
            return
        }
        var rows = [["ID", "TYPE", "STATUS", "PROGRESS", "CREATOR", "CREATED"]]
        for task in page.items {
            rows.append([
                task.id.string, task.type, task.status.rawValue, "\(task.progress)%", task.createdBy,
                TaskText.date(task.createdAt),
            ])
        }
        context.output.table(rows) { row, column, cell in
            column == 2 ? context.output.coloured(cell, for: page.items[row - 1].status) : cell
        }
        let pages = max(1, (page.total + query.pageSize - 1) / query.pageSize)
        context.output.line("page \(query.page) of \(pages), \(page.total) task(s)")
    }

    static func show(_ context: CommandContext) async throws {
        try context.arguments.checkKnown(options: [])
        let id = try TaskText.id(try context.arguments.positionals(exactly: 1, naming: "one task id")[0])
        let task = try await context.service().task(id, as: context.caller)
        if context.json {
            context.output.line(try TaskText.json(task))
            return
        }
        var rows: [(String, String)] = [
            ("id", task.id.string), ("type", task.type),
            ("status", context.output.coloured(task.status.rawValue, for: task.status)),
            ("progress", "\(task.progress)%"), ("creator", task.createdBy), ("priority", "\(task.priority)"),
            ("attempts", "\(task.attempts) of \(task.maxRetries + 1) (manual retries \(task.manualRetries))"),
            ("created", TaskText.date(task.createdAt)), ("run after", TaskText.date(task.runAfter)),
        ]
        if let started = task.startedAt { rows.append(("started", TaskText.date(started))) }
        if let finished = task.finishedAt { rows.append(("finished", TaskText.date(finished))) }
        if let owner = task.leaseOwner {
            rows.append(("lease", "\(owner) until \(task.leaseExpiresAt.map(TaskText.date) ?? "?")"))
        }
        if let key = task.uniqueKey { rows.append(("unique key", key)) }
        for (key, value) in task.metadata.sorted(by: { $0.key < $1.key }) {
            rows.append(("metadata \(key)", value))
        }
        rows.append(("payload", task.payload?.jsonText ?? "none"))
        if let result = task.result { rows.append(("result", result.jsonText)) }
        if let error = task.errorMessage { rows.append(("error", error)) }
        if let artifact = task.artifact {
            rows.append(("artifact", "\(artifact.fileName) (\(artifact.contentType), key \(artifact.key))"))
        }
        let width = rows.map(\.0.count).max() ?? 0
        for (name, value) in rows {
            context.output.line(name + String(repeating: " ", count: width - name.count) + "  " + value)
        }
    }

    static func counts(_ context: CommandContext) async throws {
        try context.arguments.checkKnown(options: [])
        _ = try context.arguments.positionals(exactly: 0, naming: "")
        let counts = try await context.service().counts(for: context.caller)
        if context.json {
            let object = JSONValue.object([
                "byStatus": .object(
                    counts.byStatus.reduce(into: [:]) { $0[$1.key.rawValue] = .integer(Int64($1.value)) }),
                "byType": .object(counts.byType.mapValues { .integer(Int64($0)) }),
                "total": .integer(Int64(counts.total)),
            ])
            context.output.line(object.jsonText)
            return
        }
        var rows = [["STATUS", "TASKS"]]
        for status in TaskStatus.allCases {
            rows.append([status.rawValue, "\(counts.byStatus[status] ?? 0)"])
        }
        context.output.table(rows)
        context.output.line("")
        var types = [["TYPE", "TASKS"]]
        for (type, count) in counts.byType.sorted(by: { $0.key < $1.key }) {
            types.append([type, "\(count)"])
        }
        context.output.table(types)
        context.output.line("total \(counts.total)")
    }
}

/// Formats tasks for people and scripts.
enum TaskText {
    /// The task as one line of JSON, as the HTTP API's record.
    static func json(_ task: TaskRecord) throws -> String { try JSONValue(encoding: task).jsonText }

    /// A date in UTC, to the second: `2026-12-07T10:15:00Z`.
    static func date(_ date: Date) -> String { date.formatted(.iso8601) }

    /// Parses a task id typed by a person.
    ///
    /// - Throws: ``CommandLineError`` saying what an id looks like.
    static func id(_ text: String) throws -> TaskID {
        guard let id = TaskID(text) else {
            throw CommandLineError.usage("'\(text)' is not a task id (a UUID, as `taskworks list` shows)")
        }
        return id
    }
}
