import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Starts `TaskworksStoreHelper` (built next to the test binary) as a child process.
struct ChildProcess {
    let process: Process

    static var helperPath: String {
        get throws {
            let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            var directory = testBinary.deletingLastPathComponent()
            // On Linux the test binary is `<build>/debug/<Package>PackageTests.xctest`.
            if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
            let helper = directory.appendingPathComponent("TaskworksStoreHelper").path
            guard FileManager.default.isExecutableFile(atPath: helper) else {
                throw DeadlineExceeded(
                    what: "the helper executable at \(helper); build with `swift build --build-tests`")
            }
            return helper
        }
    }

    static func start(_ arguments: [String]) throws -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try helperPath)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return ChildProcess(process: process)
    }

    func kill() {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
    }

    /// Waits for the process to end, polling with a deadline, and returns its exit status.
    func wait(timeout: Duration = .seconds(60)) async throws -> Int32 {
        try await eventually("helper process \(process.processIdentifier) to exit", timeout: timeout) {
            !process.isRunning
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Reads a helper's log: whole lines only, split into words.
func readLog(_ url: URL) -> [[Substring]] {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    let complete =
        text.hasSuffix("\n") ? text : String(text[..<(text.lastIndex(of: "\n") ?? text.startIndex)])
    return complete.split(separator: "\n").map { $0.split(separator: " ") }
}
