import Foundation
import Taskworks

/// The `taskworks` command: reads the command line, opens the store, acts through a
/// ``TaskService`` as the caller, and returns the exit code.
package enum TaskworksCommand {
    /// Flags (options without a value) every subcommand accepts.
    static let flagNames: Set<String> = ["json", "help"]

    /// Runs `arguments` (without the program name) and returns the exit code: 0 done, 1 an error,
    /// 2 a usage error, 3 and 4 from `verify` (`migrate status` exits 1 when the schema is not
    /// current).
    package static func run(
        _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        output: CommandOutput = .process
    ) async -> Int32 {
        guard let name = arguments.first, !name.hasPrefix("--") else {
            output.standardOutput(HelpText.overview + "\n")
            return arguments.isEmpty || arguments.contains("--help") ? 0 : 2
        }
        guard let help = HelpText.subcommands[name] else {
            output.standardError("taskworks: unknown subcommand '\(name)'; `taskworks --help` lists them\n")
            return 2
        }
        do {
            let parsed = try CommandArguments(arguments.dropFirst(), flagNames: flagNames)
            if parsed.flags.contains("help") {
                output.standardOutput(help + "\n")
                return 0
            }
            guard let storeText = parsed.value("store") ?? environment["TASKWORKS_STORE"] else {
                throw CommandLineError.usage(
                    "say which store: --store file:DIRECTORY or --store postgres://…")
            }
            let location = try StoreLocation(storeText)
            if name == "verify" {
                return try await VerifyCommand.run(location, arguments: parsed, output: output)
            }
            if name == "migrate" {
                return try await MigrateCommand.run(location, arguments: parsed, output: output)
            }
            let caller = try CallerText.caller(named: parsed.value("as"), roles: parsed.list("role"))
            let session = StoreSession(location: location, output: output)
            let context = CommandContext(
                service: { try await session.service() }, caller: caller, output: output, arguments: parsed)
            let failures: Int
            do {
                failures = try await dispatch(name, context)
            } catch {
                await session.close()
                throw error
            }
            await session.close()
            return failures == 0 ? 0 : 1
        } catch let error as CommandLineError {
            output.standardError("taskworks \(name): \(error); `taskworks \(name) --help` shows how\n")
            return 2
        } catch let error as TaskworksError {
            let hint =
                error.message.contains(" is at migration ") ? "; from the shell: taskworks migrate up" : ""
            output.standardError("taskworks \(name): \(error.code.name): \(error.message)\(hint)\n")
            return 1
        } catch {
            output.standardError("taskworks \(name): \(error)\n")
            return 1
        }
    }

    /// Runs subcommand `name`; returns how many of its items failed (for commands over many ids).
    private static func dispatch(_ name: String, _ context: CommandContext) async throws -> Int {
        switch name {
        case "list": try await ReadCommands.list(context)
        case "show": try await ReadCommands.show(context)
        case "counts": try await ReadCommands.counts(context)
        case "prune": try await ChangeCommands.prune(context)
        case "settings": try await ChangeCommands.settings(context)
        case "tail": try await TailCommand.run(context)
        case "stats": try await StatsCommand.run(context)
        case "schedules": try await SchedulesCommand.run(context)
        default: return try await ChangeCommands.run(name, context)
        }
        return 0
    }
}

/// The store a command opened, opened on first use and closed once the command ends.
final class StoreSession: Sendable {
    private let location: StoreLocation
    private let output: CommandOutput
    private let opened = LockedState<(StoreLocation.Opened, TaskService)?>(nil)

    init(location: StoreLocation, output: CommandOutput) {
        self.location = location
        self.output = output
    }

    /// The service over the store, opening the store the first time.
    func service() async throws -> TaskService {
        if let (_, service) = opened.withLock({ $0 }) { return service }
        let store = try await location.open(diagnostics: output.diagnostics)
        let service = TaskService(store: store.store, registry: TaskRegistry())
        opened.withLock { $0 = (store, service) }
        return service
    }

    /// Closes the store if it was opened.
    func close() async {
        guard let (store, _) = opened.withLock({ $0 }) else { return }
        await store.close()
    }
}
