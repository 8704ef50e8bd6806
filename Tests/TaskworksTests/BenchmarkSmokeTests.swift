import Foundation
import Testing

/// Every `taskworks-bench` workload with a tiny `n` (debug build): each prints one JSON line per
/// result with the fields WORKLOADS.md names. No timing is asserted here; speed is measured in
/// release mode (BENCHMARKS.md).
@Suite("Benchmark smoke", .serialized)
struct BenchmarkSmokeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let fields: [String]
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let common = ["workload", "store", "n", "concurrency", "durability", "git_commit"]

    static let cases: [Case] = [
        Case(arguments: ["--workload", "w1", "--n", "200"], fields: ["enqueue_per_sec", "drain_per_sec"]),
        Case(
            arguments: ["--workload", "w1", "--store", "file", "--durability", "batched", "--n", "100"],
            fields: ["enqueue_per_sec", "drain_per_sec"]),
        Case(arguments: ["--workload", "w1-e2e", "--n", "200"], fields: ["end_to_end_per_sec"]),
        Case(arguments: ["--workload", "w2-hot", "--n", "10"], fields: ["pickup_p50_ms", "pickup_p99_ms"]),
        Case(arguments: ["--workload", "w2-idle", "--n", "3"], fields: ["pickup_p50_ms", "pickup_p99_ms"]),
        Case(
            arguments: ["--workload", "w3", "--store", "file", "--durability", "none", "--n", "100"],
            fields: ["drain_us_per_task", "ratio_to_smallest_n"]),
        Case(
            arguments: ["--workload", "w4", "--store", "file", "--durability", "none", "--n", "300"],
            fields: ["rss_mb", "bytes_on_disk", "open_ms"]),
        Case(
            arguments: [
                "--workload", "w5", "--store", "file", "--durability", "none", "--n", "200", "--processes",
                "2",
            ],
            fields: ["drain_per_sec", "runs_per_task_max"]),
        Case(
            arguments: ["--workload", "w6", "--n", "3"], fields: ["progress_updates_per_sec", "store_writes"]),
        Case(arguments: ["--workload", "management", "--n", "500"], fields: ["operation", "avg_us"]),
    ]

    @Test(arguments: cases)
    func workloadPrintsSaneJSONLines(smoke: Case) async throws {
        let output = try await run(smoke.arguments)
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let lines = output.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }
        try #require(!lines.isEmpty)
        for line in lines {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for field in BenchmarkSmokeTests.common + smoke.fields {
                #expect(object[field] != nil, "\(field) missing in \(line)")
            }
            for (key, value) in object {
                if let number = value as? Double {
                    #expect(number.isFinite && number >= 0, "\(key) = \(number)")
                }
            }
            if let runs = object["runs_per_task_max"] as? Int { #expect(runs == 1) }
            if let n = object["n"] as? Int, let first = smoke.arguments.firstIndex(of: "--n") {
                #expect(n == Int(smoke.arguments[first + 1]))
            }
        }
    }

    @Test(arguments: [["--workload", "w9"], ["--n", "0"], ["--store", "redis"], ["--bogus"], ["--n"]])
    func badFlagsAreClearErrors(arguments: [String]) async throws {
        let output = try await run(arguments)
        #expect(output.status == 2)
        #expect(output.stderr.contains("taskworks-bench:"))
        #expect(output.stdout.isEmpty)
    }

    private func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let directory = try TemporaryDirectory.make()
        let stdoutURL = directory.appendingPathComponent("stdout")
        let stderrURL = directory.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ChildProcess.builtExecutable("taskworks-bench"))
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        let status = try await ChildProcess(process: process).wait(timeout: .seconds(120))
        return (
            status, try String(contentsOf: stdoutURL, encoding: .utf8),
            try String(contentsOf: stderrURL, encoding: .utf8)
        )
    }
}
