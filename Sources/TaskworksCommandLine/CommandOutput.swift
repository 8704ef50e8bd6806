import Foundation
import Taskworks

/// Where a command writes: its results to `standardOutput`, its errors and progress to
/// `standardError`. Colour and progress bars only when standard output is a terminal and
/// `NO_COLOR` is not set; `--json` output never has either.
package struct CommandOutput: Sendable {
    /// Writes one piece of result text (lines end with their own newline).
    package var standardOutput: @Sendable (String) -> Void
    /// Writes one piece of error or progress text.
    package var standardError: @Sendable (String) -> Void
    /// Whether to colour results and draw progress bars.
    package var isTerminal: Bool

    /// Makes an output from its parts (tests capture both streams).
    package init(
        isTerminal: Bool, standardOutput: @escaping @Sendable (String) -> Void,
        standardError: @escaping @Sendable (String) -> Void
    ) {
        self.isTerminal = isTerminal
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// The process's own streams.
    package static var process: CommandOutput {
        let environment = ProcessInfo.processInfo.environment
        let terminal =
            isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        return CommandOutput(
            isTerminal: terminal,
            standardOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
            standardError: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// A sink for the store's own messages (a dropped torn record, a retried connection): one
    /// line each on this output's standard error, as the command's own errors go.
    package var diagnostics: TaskDiagnostics {
        let standardError = standardError
        return TaskDiagnostics { diagnostic in standardError(diagnostic.line + "\n") }
    }

    /// Writes `line` and a newline to standard output.
    package func line(_ line: String) { standardOutput(line + "\n") }

    /// `text` in the colour of `status` on a terminal; plain otherwise.
    package func coloured(_ text: String, for status: TaskStatus) -> String {
        guard isTerminal else { return text }
        let code: String =
            switch status {
            case .succeeded: "32"
            case .failed: "31"
            case .cancelled: "33"
            case .running: "36"
            case .paused: "35"
            default: "0"
            }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// Writes `rows` as columns aligned on the widest cell, the first row as a header (bold on a
    /// terminal). `colours` may colour cells after alignment, by row and column.
    package func table(_ rows: [[String]], colour: ((Int, Int, String) -> String)? = nil) {
        guard let header = rows.first else { return }
        var widths = header.map { _ in 0 }
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { column, cell -> String in
                let padded =
                    column == row.count - 1
                    ? cell : cell + String(repeating: " ", count: max(0, widths[column] - cell.count))
                if index == 0 { return isTerminal ? "\u{1B}[1m\(padded)\u{1B}[0m" : padded }
                return colour?(index, column, padded) ?? padded
            }
            line(cells.joined(separator: "  "))
        }
    }

    /// Draws a progress bar on standard error (terminals only), replacing the previous one.
    package func progress(_ label: String, done: Int, of total: Int) {
        guard isTerminal, total > 0 else { return }
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        standardError("\r\(label) \(bar) \(done)/\(total)" + (done >= total ? "\n" : ""))
    }
}
