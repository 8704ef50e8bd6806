import Foundation

/// The command line both example web hosts share: where to listen and keep data, how big the
/// sample user directory is, and two demo-only switches.
public struct DemoHostOptions: Sendable {
    /// The loopback port; 0 picks a free one. Default 8080.
    public var port = 8080
    /// Where the store and the artifacts live. Default `./<name>-data`.
    public var dataDirectory: String
    /// How many sample users an export writes. Default 20,000.
    public var users = 20_000
    /// Demo only: `?as=NAME` names the caller too (off by default: a caller in a URL leaks).
    public var allowsQueryCaller = false
    /// A pause per page of 100 exported users, so that progress can be watched. Default none.
    public var exportPageDelay: Duration = .zero

    /// What a bad command line is: a message saying what was wrong and how to use it.
    public struct UsageError: Error, CustomStringConvertible {
        /// The message.
        public let description: String
    }

    /// Parses `arguments` (without the program name) for the program `name`; `--help` is a
    /// ``UsageError`` holding the usage text.
    ///
    /// - Throws: ``UsageError`` naming the flag that was wrong.
    public init(parsing arguments: [String], name: String) throws {
        dataDirectory = "./\(name)-data"
        let usage =
            "usage: \(name) [--port N (default 8080; 0 picks one)] [--data-dir DIR] [--users N] "
            + "[--allow-query-caller (demo only: ?as=alice names the caller)] "
            + "[--export-page-delay-ms N (a pause per page of 100 users, to watch progress)]"
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "--port":
                guard let text = rest.popFirst(), let value = Int(text), (0...65_535).contains(value) else {
                    throw UsageError(
                        description: "--port needs a number from 0 to 65535 (0 picks a free port)")
                }
                port = value
            case "--data-dir":
                guard let value = rest.popFirst(), !value.isEmpty else {
                    throw UsageError(description: "--data-dir needs a directory")
                }
                dataDirectory = value
            case "--users":
                guard let text = rest.popFirst(), let value = Int(text), (0...10_000_000).contains(value)
                else {
                    throw UsageError(description: "--users needs a whole number from 0 to 10,000,000")
                }
                users = value
            case "--allow-query-caller":
                allowsQueryCaller = true
            case "--export-page-delay-ms":
                guard let text = rest.popFirst(), let value = Int(text), (0...60_000).contains(value) else {
                    throw UsageError(description: "--export-page-delay-ms needs milliseconds from 0 to 60000")
                }
                exportPageDelay = .milliseconds(value)
            case "--help", "-h":
                throw UsageError(description: usage)
            default:
                throw UsageError(description: "unknown flag '\(flag.prefix(80))'; \(usage)")
            }
        }
    }

    /// The options of this process's command line; on `--help` prints the usage and exits 0, on
    /// a bad flag prints what was wrong to standard error and exits 2.
    public static func fromCommandLine(name: String) -> DemoHostOptions {
        do {
            return try DemoHostOptions(parsing: Array(CommandLine.arguments.dropFirst()), name: name)
        } catch let error as UsageError where error.description.hasPrefix("usage:") {
            print(error.description)
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            exit(2)
        }
    }
}
