/// How every record of a version-2 store file is framed: one line per record,
///
/// ```
/// 0000002a 9a3f01c2 {"task":{…}}
/// ```
///
/// the record's length in bytes and its CRC-32C, each as 8 lowercase hex digits and followed by a
/// space, then the record's JSON and a newline. A reader knows where each record ends before it
/// parses it and checks every byte of it, so a flipped byte, a lost byte or garbage is caught and
/// named by offset, while the JSON stays readable to a person.
enum FileStoreFrame {
    static let headerLength = 18
    /// The longest record accepted: more than any task create accepts can need.
    static let maximumLength = 64 << 20

    /// What lies at an offset of a file.
    enum Scan: Equatable {
        /// A whole, checked record: its JSON is `payload`; the next record starts at `next`.
        case frame(payload: Range<Int>, next: Int)
        /// The start of a record that was never finished: a write cut short at the end of the
        /// file. Nothing acknowledged is in it.
        case incomplete
        /// A record whose bytes turn to zeros from `zeroAt` on: what a power loss leaves where a
        /// filesystem had extended the file before the record's data reached the disk. Whether
        /// the rest of the file is such a tail is for ``unsyncedTailProblem(_:from:)`` to say.
        case zeroed(zeroAt: Int)
        /// Anything else: what is wrong with it.
        case corrupt(String)
    }

    /// Appends a frame around the JSON that `write` appends.
    static func append(to bytes: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: headerLength))
        write(&bytes)
        let payloadStart = start + headerLength
        let length = bytes.count - payloadStart
        let checksum = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[payloadStart...]))
        }
        writeHex(UInt32(truncatingIfNeeded: length), into: &bytes, at: start)
        writeHex(checksum, into: &bytes, at: start + 9)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Reads the frame that starts at `offset` (which must be below `bytes.count`).
    static func scan(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Scan {
        let remaining = bytes.count - offset
        let headerPresent = min(remaining, headerLength)
        for position in 0..<headerPresent {
            let byte = bytes[offset + position]
            let valid = position == 8 || position == 17 ? byte == UInt8(ascii: " ") : hexValue(byte) != nil
            if !valid {
                if byte == 0 { return .zeroed(zeroAt: offset + position) }
                return .corrupt("no frame header (8 hex digits of length, a space, 8 of checksum, a space)")
            }
        }
        if remaining < headerLength { return .incomplete }
        let length = Int(readHex(bytes, at: offset))
        guard length <= maximumLength else {
            return .corrupt(
                "a frame announces \(length) bytes, more than the \(maximumLength) a record may have")
        }
        let payloadStart = offset + headerLength
        let end = payloadStart + length
        if let zero = bytes[payloadStart..<min(end + 1, bytes.count)].firstIndex(of: 0) {
            // JSON holds no raw zero byte (it escapes one as \u0000): these zeros are not data.
            return .zeroed(zeroAt: zero)
        }
        guard end < bytes.count else {
            // A write cut short has no newline yet (a record holds none before its last byte);
            // a newline in what is there means the length itself is damaged.
            if bytes[payloadStart...].contains(UInt8(ascii: "\n")) {
                return .corrupt("the frame's length runs past its newline")
            }
            return .incomplete
        }
        guard bytes[end] == UInt8(ascii: "\n") else {
            return .corrupt("the frame does not end with a newline")
        }
        let stored = readHex(bytes, at: offset + 9)
        let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<end]))
        guard stored == actual else {
            return .corrupt("checksum mismatch (stored \(hex(stored)), computed \(hex(actual)))")
        }
        return .frame(payload: payloadStart..<end, next: end + 1)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func writeHex(_ value: UInt32, into bytes: inout [UInt8], at start: Int) {
        for position in 0..<8 {
            bytes[start + position] = digits[Int((value >> (28 - 4 * UInt32(position))) & 0xF)]
        }
    }

    private static func readHex(_ bytes: UnsafeRawBufferPointer, at start: Int) -> UInt32 {
        var value: UInt32 = 0
        for position in 0..<8 { value = value << 4 | UInt32(hexValue(bytes[start + position]) ?? 0) }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    private static func hex(_ value: UInt32) -> String {
        var bytes = [UInt8](repeating: 0, count: 8)
        writeHex(value, into: &bytes, at: 0)
        return String(decoding: bytes, as: UTF8.self)
    }
}
