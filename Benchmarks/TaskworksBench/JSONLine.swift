import Foundation
import Taskworks

/// One result line: sorted keys, compact, one line.
struct JSONLine {
    var fields: [String: JSONValue] = [:]

    subscript(key: String) -> JSONValue? {
        get { fields[key] }
        set { fields[key] = newValue }
    }

    func print() {
        Swift.print(JSONValue.object(fields).description)
    }

    static func number(_ value: Double, decimals: Int = 3) -> JSONValue {
        let scale = pow(10, Double(decimals))
        return .double((value * scale).rounded() / scale)
    }

    /// The short commit the binary was run from, or "unknown".
    static let gitCommit: String = {
        // Given by the caller (Benchmarks/instructions-per-task does, so no child process adds
        // its noise to an instruction count).
        if let given = ProcessInfo.processInfo.environment["TASKWORKS_BENCH_COMMIT"], !given.isEmpty {
            return given
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "--short", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return process.terminationStatus == 0 && !text.isEmpty ? text : "unknown"
        } catch {
            return "unknown"
        }
    }()
}

/// Process resident set size in MB, read from /proc/self/status (0 where unavailable).
func residentMegabytes() -> Double { statusMegabytes("VmRSS:") }

/// The most this process has had resident so far, as the kernel counts it (`VmHWM`).
func peakResidentMegabytes() -> Double { statusMegabytes("VmHWM:") }

/// A kilobyte figure of `/proc/self/status`, in megabytes.
func statusMegabytes(_ field: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(field) {
        let digits = line.split(separator: " ").compactMap { Double($0) }
        if let kilobytes = digits.first { return kilobytes / 1024 }
    }
    return 0
}

extension Duration {
    var microseconds: Double {
        let parts = components
        return Double(parts.seconds) * 1e6 + Double(parts.attoseconds) / 1e12
    }
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((fraction * Double(sorted.count - 1)).rounded())
    return sorted[min(max(rank, 0), sorted.count - 1)]
}
