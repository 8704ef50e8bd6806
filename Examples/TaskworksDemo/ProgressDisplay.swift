import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Shows export progress: one redrawn line of bars on a terminal, plain lines otherwise.
/// Used from the demo's main code only.
@MainActor
final class ProgressDisplay {
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private var progress: [String: Int] = [:]
    private var labels: [String] = []

    func track(_ label: String) {
        progress[label] = 0
        labels.append(label)
    }

    func update(_ label: String, _ value: Int) {
        guard let old = progress[label], value > old else { return }
        progress[label] = value
        guard isTerminal else {
            print("progress: \(label) \(value)%")
            return
        }
        let bars = labels.map { name in
            let filled = (progress[name] ?? 0) / 5
            return
                "\(name) [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: 20 - filled))] "
                + "\(progress[name] ?? 0)%"
        }
        print("\r" + bars.joined(separator: "   "), terminator: "")
        fflush(nil)
    }

    /// Ends the redrawn line so the next output starts on its own line.
    func finish() {
        if isTerminal { print("") }
    }
}
