import Foundation
import Taskworks

/// An output whose two streams are kept in memory, readable while the command still runs.
package struct CommandCapture: Sendable {
    private let printed = LockedState("")
    private let errors = LockedState("")

    /// Makes an empty capture.
    package init() {}

    /// The output to hand a command: no terminal, both streams kept here.
    package var output: CommandOutput {
        CommandOutput(
            isTerminal: false, standardOutput: { [printed] text in printed.withLock { $0 += text } },
            standardError: { [errors] text in errors.withLock { $0 += text } })
    }

    /// What was written to standard output so far.
    package var standardOutput: String { printed.withLock { $0 } }
    /// What was written to standard error so far.
    package var standardError: String { errors.withLock { $0 } }
}

/// What one run of `taskworks` printed and how it ended: for tests, which run the command in
/// their own process.
package struct CommandRun: Sendable {
    /// The exit code.
    package var code: Int32
    /// Standard output.
    package var output: String
    /// Standard error.
    package var errors: String

    /// Runs `arguments` (without the program name) with no environment and both streams captured.
    package static func run(_ arguments: [String]) async -> CommandRun {
        let capture = CommandCapture()
        let code = await TaskworksCommand.run(arguments, environment: [:], output: capture.output)
        return CommandRun(code: code, output: capture.standardOutput, errors: capture.standardError)
    }

    /// Each line of standard output parsed as JSON (for `--json` runs).
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` for a line that is not JSON.
    package func jsonLines() throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(jsonText: String($0)) }
    }
}
