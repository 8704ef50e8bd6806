import Foundation
import Taskworks
import TaskworksTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A child process: `TaskworksStoreHelper` or another executable built next to the test binary.
struct ChildProcess {
    let process: Process

    /// The path of an executable built next to the test binary.
    static func builtExecutable(_ name: String) throws -> String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test binary is `<build>/debug/<Package>PackageTests.xctest`.
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TaskworksError.invalidInput(
                "no executable at \(path); build with `swift build --build-tests`")
        }
        return path
    }

    static func start(_ arguments: [String]) throws -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try builtExecutable("TaskworksStoreHelper"))
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
