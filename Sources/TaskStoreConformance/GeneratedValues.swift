import Foundation
import Taskworks

/// A small seeded generator (SplitMix64), so a failing round trip can be replayed from its seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 { generator.next() }
}

/// Payloads at the edges of what create accepts: extreme numbers, every kind of Unicode, and
/// nesting up to `JSONValue/maximumNestingDepth`.
public enum GeneratedValues {
    /// Numbers a store must keep exactly.
    static let edgeDoubles: [Double] = [
        0.1, -0.0, 1e308, -1e308, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude, 123_456.789, 9_007_199_254_740_992, -3.5,
    ]
    static let edgeIntegers: [Int64] = [.min, .max, 0, -1, 1 << 53, (1 << 53) + 1]
    /// Strings with quotes, escapes, control characters, NUL, line separators, combining marks,
    /// emoji, right-to-left text and characters outside the Basic Multilingual Plane.
    static let edgeStrings: [String] = [
        "", "\"quoted\" \\ back/slash", "line\nbreak\r\ttab", "nul\u{0}byte", "\u{1}\u{1F}\u{7F}",
        "\u{2028}\u{2029}", "e\u{301}", "👩‍💻🏳️‍🌈", "שלום", "𝄞 music", "{\"not\":\"json\"}", "%_\\%",
    ]

    /// A random JSON value at most `depth` levels of arrays and objects deep.
    public static func value(depth: Int, using random: inout SeededRandom) -> JSONValue {
        let kind = depth > 0 ? Int.random(in: 0..<9, using: &random) : Int.random(in: 0..<6, using: &random)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .integer(edgeIntegers.randomElement(using: &random) ?? 0)
        case 3: return .integer(Int64.random(in: .min ... .max, using: &random))
        case 4: return .double(edgeDoubles.randomElement(using: &random) ?? 0.5)
        case 5: return .string(string(using: &random))
        case 6:
            return .array(
                (0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth: depth - 1, using: &random)
                })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                members[string(using: &random)] = value(depth: depth - 1, using: &random)
            }
            return .object(members)
        }
    }

    /// A value nested exactly `depth` levels deep (alternating arrays and objects).
    public static func nested(depth: Int) -> JSONValue {
        var value = JSONValue.string("bottom")
        for level in 0..<depth {
            value = level.isMultiple(of: 2) ? .array([value]) : .object(["level": value])
        }
        return value
    }

    /// An edge string, or random scalars from every plane.
    public static func string(using random: inout SeededRandom) -> String {
        if Bool.random(using: &random) { return edgeStrings.randomElement(using: &random) ?? "" }
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            let ranges: [ClosedRange<UInt32>] = [
                0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF,
            ]
            let range = ranges.randomElement(using: &random) ?? 0...0x7F
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &random)) { text.append(scalar) }
        }
        return String(text)
    }
}
