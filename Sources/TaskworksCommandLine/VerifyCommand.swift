import Foundation
import Taskworks

/// `verify`: checks a file store without changing it. The directory's files are copied under its
/// lock (writers wait meanwhile, so the copy is one consistent state even while pools run), and
/// the copy is opened: every record's length and checksum, the snapshot's agreement with its
/// journals and the rotation records are checked as an open checks them.
enum VerifyCommand {
    /// Exit code for a store that does not open (a damaged record, a missing journal, …).
    static let damaged: Int32 = 3
    /// Exit code for a store whose journal ends in a torn record (what a crash leaves; the next
    /// open drops it, and nothing acknowledged as durable is in it).
    static let torn: Int32 = 4

    static func run(_ location: StoreLocation, arguments: CommandArguments, output: CommandOutput)
        async throws
        -> Int32
    {
        try arguments.checkKnown(options: [])
        _ = try arguments.positionals(exactly: 0, naming: "")
        guard case .file(let directory) = location else {
            throw TaskworksError(
                code: .unsupported,
                message: "verify checks a file store's files; PostgreSQL checks its own pages (use amcheck)")
        }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("taskworks-verify-\(UUID())")
            .path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let bytes = try FileTaskStore.copyFiles(of: directory, to: copy) { done, total in
            output.progress("copying", done: done, of: total)
        }
        let silent = TaskDiagnostics { _ in }
        var options = FileTaskStore.Options()
        options.diagnostics = silent
        let store: FileTaskStore
        do {
            store = try await FileTaskStore(directory: copy, options: options)
        } catch let error as TaskworksError where error.code == .corruptStore {
            let message = error.message.replacingOccurrences(of: copy, with: directory)
            report(
                ["damaged": .string(message)], text: "damaged: \(message)", output: output, json: arguments)
            return damaged
        }
        let counts = try await store.counts(createdBy: nil)
        let warnings = store.openWarnings.map { $0.replacingOccurrences(of: copy, with: directory) }
        await store.close()
        if let warning = warnings.first {
            report(
                ["torn": .string(warning), "tasks": .integer(Int64(counts.total))],
                text: "torn: \(warning); the next open drops these bytes", output: output, json: arguments)
            return torn
        }
        report(
            ["intact": .bool(true), "tasks": .integer(Int64(counts.total)), "bytes": .integer(Int64(bytes))],
            text:
                "intact: \(counts.total) task(s) in \(bytes) bytes; every record's checksum and the snapshot's "
                + "journals agree", output: output, json: arguments)
        return 0
    }

    private static func report(
        _ object: [String: JSONValue], text: String, output: CommandOutput, json arguments: CommandArguments
    ) {
        output.line(arguments.flags.contains("json") ? JSONValue.object(object).jsonText : text)
    }
}
