import Foundation
import Taskworks

/// A broken contract: what the store did, what it should have done, and where in the suite.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// What went wrong, with the expected and actual values.
    public let message: String
    /// The suite source file of the failed expectation.
    public let file: String
    /// The line in ``file``.
    public let line: Int

    /// `message (file:line)`.
    public var description: String { "\(message) (\(file):\(line))" }
}

/// Fails the check unless `condition` holds.
func expect(
    _ condition: Bool, _ message: @autoclosure () -> String, file: String = #fileID, line: Int = #line
) throws {
    guard condition else { throw ConformanceFailure(message: message(), file: file, line: line) }
}

/// Fails the check unless `actual == expected`, showing both.
func expectEqual<T: Equatable>(
    _ actual: T, _ expected: T, _ what: @autoclosure () -> String, file: String = #fileID, line: Int = #line
) throws {
    guard actual == expected else {
        throw ConformanceFailure(
            message: "\(what()): expected \(expected), got \(actual)", file: file, line: line)
    }
}

/// The value, or a failed check saying it was missing.
func require<T>(
    _ value: T?, _ what: @autoclosure () -> String, file: String = #fileID, line: Int = #line
) throws -> T {
    guard let value else {
        throw ConformanceFailure(message: "\(what()): expected a value, got nil", file: file, line: line)
    }
    return value
}

/// Fails the check unless `body` throws.
func expectThrows(
    _ what: @autoclosure () -> String, code: TaskworksError.Code? = nil, file: String = #fileID,
    line: Int = #line, _ body: () async throws -> Void
) async throws {
    do {
        try await body()
    } catch {
        guard let code else { return }
        guard let thrown = error as? TaskworksError, thrown.code == code else {
            throw ConformanceFailure(
                message: "\(what()): expected a TaskworksError with code \(code), got \(error)", file: file,
                line: line)
        }
        return
    }
    throw ConformanceFailure(message: "\(what()): expected an error, none was thrown", file: file, line: line)
}
