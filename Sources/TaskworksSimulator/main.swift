import Foundation
import Taskworks

// taskworks-sim: several simulated processes sharing one store, every interleaving decided by
// one seed, the invariants checked as it runs (ARCHITECTURE.md, "The simulator").
//
//   swift run -c release taskworks-sim --seed 7 --steps 100000 [--store memory|file]
//
// Prints one JSON line; exits 1 when an invariant broke (the line names the first), 2 on a
// usage error.

let usage = "usage: taskworks-sim --seed S --steps N [--store memory|file]"
var seed: UInt64 = 1
var steps = 100_000
var onFiles = false
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let name = arguments.removeFirst()
    if name == "--help" {
        print(usage)
        exit(0)
    }
    guard let value = arguments.first else {
        FileHandle.standardError.write(Data("taskworks-sim: \(name) needs a value; \(usage)\n".utf8))
        exit(2)
    }
    arguments.removeFirst()
    switch name {
    case "--seed" where UInt64(value) != nil: seed = UInt64(value) ?? 1
    case "--steps" where Int(value).map({ (1...1_000_000_000).contains($0) }) == true: steps = Int(value) ?? 1
    case "--store" where value == "memory" || value == "file": onFiles = value == "file"
    default:
        FileHandle.standardError.write(Data("taskworks-sim: bad \(name) '\(value)'; \(usage)\n".utf8))
        exit(2)
    }
}
do {
    var configuration = TaskworksSimulation.Configuration(seed: seed, steps: steps)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("taskworks-sim-\(UUID())")
    if onFiles { configuration.fileStoreDirectory = directory.path }
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = try await TaskworksSimulation.run(configuration)
    print(report.jsonLine)
    exit(report.violations.isEmpty ? 0 : 1)
} catch {
    FileHandle.standardError.write(Data("taskworks-sim: \(error)\n".utf8))
    exit(1)
}
