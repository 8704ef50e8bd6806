import Foundation

/// Taskworks' one JSON reader: strict (invalid UTF-8, control characters in strings, trailing
/// bytes and non-finite numbers are errors), with positions for error messages, nesting bounded by
/// ``JSONValue/maximumNestingDepth`` so no input exhausts the stack, and typed reads (`string()`,
/// `integer()`, `value()`) that record readers build on. ``JSONValue/init(jsonText:)``, the file
/// store and the HTTP API all read through it.
package struct JSONParser {
    package let bytes: UnsafeBufferPointer<UInt8>
    package var position = 0
    /// Arrays and objects open around the current position.
    package var nesting = 0
    /// Whether a key given twice in one object is an error (HTTP bodies) rather than the last
    /// one winning.
    package var rejectsDuplicateKeys = false

    package init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    package func fail(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, reason: reason)
    }

    package mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                position += 1
            default: return
            }
        }
    }

    package mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard position < bytes.count, bytes[position] == byte else {
            throw fail("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        position += 1
    }

    package mutating func peek() -> UInt8? {
        skipSpace()
        return position < bytes.count ? bytes[position] : nil
    }

    package mutating func end() throws {
        skipSpace()
        guard position == bytes.count else { throw fail("trailing bytes") }
    }

    /// Calls `member` for each key of an object, with the parser at the key's value.
    package mutating func object(_ member: (inout JSONParser, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            skipSpace()
            guard position < bytes.count else { throw fail("unterminated object") }
            let next = bytes[position]
            position += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw fail("expected ',' or '}'") }
        }
    }

    package mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        var isASCII = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<position])
                // ASCII is valid UTF-8 as it is; only other text needs the validating (and, being
                // generic, slower) initializer.
                let string: String
                if isASCII {
                    string = String(decoding: text, as: UTF8.self)
                } else {
                    guard let valid = String(validating: text, as: UTF8.self) else {
                        throw fail("invalid UTF-8 in string")
                    }
                    string = valid
                }
                position += 1
                return string
            }
            if byte >= 0x80 { isASCII = false }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw fail("control character in string") }
            position += 1
        }
        throw fail("unterminated string")
    }

    private mutating func escapedString(from start: Int) throws -> String {
        var scalars = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: scalars, as: UTF8.self) else {
                    throw fail("invalid UTF-8 in string")
                }
                return text
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw fail("unterminated escape") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                            bytes[position + 1] == UInt8(ascii: "u")
                        else { throw fail("lone surrogate") }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("bad surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("invalid code point") }
                    scalars += Array(String(Character(scalar)).utf8)
                default: throw fail("unknown escape")
                }
            default:
                if byte < 0x20 { throw fail("control character in string") }
                scalars.append(byte)
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("bad hex digit")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The text of a number and whether it has a fraction or exponent.
    private mutating func numberText() throws -> (String, isInteger: Bool) {
        skipSpace()
        let start = position
        var isInteger = true
        while position < bytes.count, JSONParser.isNumberByte(bytes[position]) {
            let byte = bytes[position]
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                isInteger = false
            }
            position += 1
        }
        guard position > start else { throw fail("expected a number") }
        return (
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self),
            isInteger
        )
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
            UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default: false
        }
    }

    package mutating func integer() throws -> Int64 {
        let (text, isInteger) = try numberText()
        guard isInteger, let value = Int64(text) else { throw fail("expected an integer") }
        return value
    }

    package mutating func double() throws -> Double {
        let (text, _) = try numberText()
        guard let value = Double(text), value.isFinite else { throw fail("expected a number") }
        return value
    }

    package mutating func bool() throws -> Bool {
        if try literal("true") { return true }
        if try literal("false") { return false }
        throw fail("expected true or false")
    }

    private mutating func literal(_ word: StaticString) throws -> Bool {
        skipSpace()
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
        position += count
        return true
    }

    package mutating func value() throws -> JSONValue {
        switch peek() {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Bounded recursion: no stored value nests deeper (create refuses it).
            guard nesting < JSONValue.maximumNestingDepth else {
                throw fail("nested more than \(JSONValue.maximumNestingDepth) levels deep")
            }
            nesting += 1
            defer { nesting -= 1 }
            return try container()
        default:
            return try scalar()
        }
    }

    private mutating func container() throws -> JSONValue {
        switch peek() {
        case UInt8(ascii: "{"):
            var members: [String: JSONValue] = [:]
            try object { parser, key in
                let value = try parser.value()
                if members.updateValue(value, forKey: key) != nil, parser.rejectsDuplicateKeys {
                    throw parser.fail("the key \"\(key.prefix(60))\" is given twice in one object")
                }
            }
            return .object(members)
        default:
            position += 1
            var items: [JSONValue] = []
            if peek() == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            while true {
                items.append(try value())
                guard let next = peek() else { throw fail("unterminated array") }
                position += 1
                if next == UInt8(ascii: "]") { return .array(items) }
                guard next == UInt8(ascii: ",") else { throw fail("expected ',' or ']'") }
            }
        }
    }

    private mutating func scalar() throws -> JSONValue {
        switch peek() {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try bool())
        case UInt8(ascii: "n"):
            guard try literal("null") else { throw fail("expected null") }
            return .null
        default:
            let (text, isInteger) = try numberText()
            if isInteger, let integer = Int64(text) { return .integer(integer) }
            guard let double = Double(text), double.isFinite else { throw fail("bad number") }
            return .double(double)
        }
    }

    /// Runs `body` over `bytes`, requires that it read them to the end, and turns any error into
    /// a ``JSONSyntaxError`` with the position it stopped at.
    package static func parseWhole<T>(_ bytes: ArraySlice<UInt8>, _ body: (inout JSONParser) throws -> T)
        throws -> T
    {
        try bytes.withUnsafeBytes { buffer in
            var parser = JSONParser(bytes: buffer.bindMemory(to: UInt8.self))
            do {
                let value = try body(&parser)
                try parser.end()
                return value
            } catch let error as JSONSyntaxError {
                throw error
            } catch {
                throw JSONSyntaxError(offset: parser.position, reason: "\(error)")
            }
        }
    }
}

/// Where and why bytes stopped being the JSON expected.
package struct JSONSyntaxError: Error, CustomStringConvertible {
    /// The 0-based byte offset the parser stopped at.
    package let offset: Int
    package let reason: String
    package var description: String { "\(reason) at byte \(offset + 1)" }
}
