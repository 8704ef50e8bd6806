import Foundation
import TaskStoreConformance
import Taskworks
import TaskworksCommandLine
import TaskworksTesting
import Testing

/// `taskworks` fed random command lines (real subcommands and options mixed with garbage values:
/// empty, negative, huge, NUL, emoji, 300 characters): it never crashes, ends with a documented
/// exit code, says what went wrong in lines that start with `taskworks`, and leaves a store that
/// still opens.
@Suite("taskworks command line: random command lines")
struct CommandLineFuzzTests {
    static let subcommands = [
        "list", "show", "counts", "cancel", "retry", "pause", "resume", "delete", "prune", "tail",
        "schedules", "settings", "verify", "migrate", "stats", "bogus", "",
    ]
    static let options = [
        "--status", "--type", "--creator", "--search", "--sort", "--page", "--page-size", "--as", "--role",
        "--json", "--help", "--older-than", "--deleted-older-than", "--window", "--interval", "--count",
        "--for", "--after", "--store", "-x", "--",
    ]
    static let values = [
        "", "0", "-1", "99999999999999999999", "1e9", "7d", "1m", "30s", "abc", "a\u{0}b", "é", "🙂",
        String(repeating: "z", count: 300), "pending", "failed,pending", "admin:ops", "system", "alice",
        "run", "set", "max-concurrent-tasks", "status", "up", "sql", "file:", "file:/nonexistent/tasks",
        "postgres:", "createdAscending", "export",
    ]

    @Test(arguments: 0..<4)
    func randomCommandLinesEndCleanly(seed: UInt64) async throws {
        let fixture = try await CommandLineStore.make()
        var random = SeededRandom(seed: seed)
        var exitCodes: [Int32: Int] = [:]
        let ids = fixture.alices.map(\.id.string) + [fixture.bobs.id.string]
        for round in 0..<100 {
            var arguments = [Self.subcommands.randomElement(using: &random) ?? "list"]
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                switch Int.random(in: 0..<8, using: &random) {
                case 0: arguments.append(Self.options.randomElement(using: &random) ?? "--json")
                case 1: arguments.append(Self.values.randomElement(using: &random) ?? "")
                case 2, 3: arguments.append(ids.randomElement(using: &random) ?? "")
                default:
                    arguments += [
                        Self.options.randomElement(using: &random) ?? "--type",
                        Self.values.randomElement(using: &random) ?? "",
                    ]
                }
            }
            if Int.random(in: 0..<10, using: &random) > 0 { arguments += ["--store", fixture.store] }
            // `tail` watches until stopped: bound it (the last value of an option wins).
            if arguments.first == "tail" { arguments += ["--for", "20ms", "--interval", "5ms"] }
            let result = await CommandRun.run(arguments)
            exitCodes[result.code, default: 0] += 1
            let replay = "seed \(seed), round \(round): \(arguments)"
            #expect((0...4).contains(result.code), "\(replay): exit \(result.code)")
            if result.code != 0 && result.code != 3 && result.code != 4 {
                #expect(!result.errors.isEmpty, "\(replay): failed without saying why")
            }
            for line in result.errors.split(separator: "\n") where !line.hasPrefix("taskworks") {
                if !line.hasPrefix("\r") {
                    Issue.record("\(replay): an error line that does not say it is from taskworks: \(line)")
                }
            }
        }
        // Some runs got past parsing and acted on the store, some were refused.
        #expect(
            exitCodes[0, default: 0] > 0 && exitCodes[1, default: 0] > 0 && exitCodes[2, default: 0] > 0,
            "\(exitCodes)")
        print("random command lines, seed \(seed): exit codes \(exitCodes.sorted { $0.key < $1.key })")
        let reopened = try await FileTaskStore(directory: fixture.directory)
        await reopened.close()
    }
}
