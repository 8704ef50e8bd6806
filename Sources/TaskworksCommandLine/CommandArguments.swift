import Taskworks

/// A command line split into its subcommand, its positional words and its `--name value` options,
/// with typed errors for anything malformed. Options may be given as `--name value` or
/// `--name=value`; flags (options without a value) are declared by the command that reads them.
package struct CommandArguments: Sendable {
    /// The positional words after the subcommand, in order.
    package private(set) var positionals: [String] = []
    /// Every option given, by name without the dashes; repeated options keep every value.
    package private(set) var options: [String: [String]] = [:]
    /// The flags given, by name without the dashes.
    package private(set) var flags: Set<String> = []

    /// Splits `words`, treating the names in `flagNames` as flags that take no value.
    ///
    /// - Throws: ``CommandLineError`` for an option with no value.
    package init(_ words: some Sequence<String>, flagNames: Set<String>) throws {
        var iterator = words.makeIterator()
        var onlyPositionals = false
        while let word = iterator.next() {
            if onlyPositionals || !word.hasPrefix("--") || word == "--" {
                if word == "--" && !onlyPositionals {
                    onlyPositionals = true
                } else {
                    positionals.append(word)
                }
                continue
            }
            var name = String(word.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flagNames.contains(name) {
                guard value == nil else { throw CommandLineError.usage("--\(name) takes no value") }
                flags.insert(name)
                continue
            }
            guard let given = value ?? iterator.next() else {
                throw CommandLineError.usage("--\(name) needs a value")
            }
            options[name, default: []].append(given)
        }
    }

    /// The last value of option `name`, if given.
    package func value(_ name: String) -> String? { options[name]?.last }

    /// Every value of option `name`, split at commas (`--status pending,failed --status paused`).
    package func list(_ name: String) -> [String] {
        (options[name] ?? []).flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
    }

    /// Option `name` as a whole number in `range`, or `fallback` when absent.
    ///
    /// - Throws: ``CommandLineError`` naming the option when the value is not such a number.
    package func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw CommandLineError.usage(
                "--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'"
            )
        }
        return number
    }

    /// Fails on any option or flag the command does not know, naming it.
    ///
    /// - Throws: ``CommandLineError`` naming the first unknown option.
    package func checkKnown(options known: Set<String>, flags knownFlags: Set<String> = []) throws {
        let global: Set<String> = ["store", "as", "role", "json"]
        for name in options.keys.sorted() where !known.contains(name) && !global.contains(name) {
            throw CommandLineError.usage("unknown option --\(name)")
        }
        for name in flags.sorted() where !knownFlags.contains(name) && !global.contains(name) {
            throw CommandLineError.usage("unknown flag --\(name)")
        }
    }

    /// The positional words, checked to be exactly `count` (naming what they are).
    ///
    /// - Throws: ``CommandLineError`` when there are more or fewer.
    package func positionals(exactly count: Int, naming what: String) throws -> [String] {
        guard positionals.count == count else {
            throw CommandLineError.usage(
                count == 0 ? "unexpected argument '\(positionals[0])'" : "expected \(what)")
        }
        return positionals
    }
}

/// Why a command could not run, with the exit code it ends with.
package enum CommandLineError: Error, Equatable, CustomStringConvertible {
    /// The command line itself is wrong: exit code 2, with a pointer to `--help`.
    case usage(String)

    package var description: String {
        switch self {
        case .usage(let message): message
        }
    }
}

/// Durations written as a number and a unit: `500ms`, `90s`, `15m`, `12h`, `7d`.
package enum DurationText {
    /// Parses `text` into a duration of at most 100 years.
    ///
    /// - Throws: ``CommandLineError`` when `text` is not such a duration.
    package static func parse(_ text: String, option: String) throws -> Duration {
        let units: [(suffix: String, milliseconds: Int64)] = [
            ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
        ]
        guard let unit = units.first(where: { text.hasSuffix($0.suffix) }),
            let number = Int64(text.dropLast(unit.suffix.count)), number >= 0
        else {
            throw CommandLineError.usage(
                "--\(option) takes a duration such as 500ms, 90s, 15m, 12h or 7d, not '\(text)'")
        }
        let (total, overflow) = number.multipliedReportingOverflow(by: unit.milliseconds)
        guard !overflow, total <= 100 * 366 * 86_400_000 else {
            throw CommandLineError.usage("--\(option) is longer than 100 years")
        }
        return .milliseconds(total)
    }
}
