import Foundation

/// Writes one JSON object member by member, in the order given, into a byte buffer: how record
/// writers (the file store's task records) produce their text without building a ``JSONValue``.
struct JSONObjectWriter {
    var bytes: [UInt8]
    var first = true

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.bytes.append(UInt8(ascii: "{"))
    }

    /// Appends one object to `bytes`, its members written by `members` (the buffer is moved in
    /// and out, never copied).
    static func append(to bytes: inout [UInt8], _ members: (inout JSONObjectWriter) -> Void) {
        var writer = JSONObjectWriter(bytes: bytes)
        bytes = []
        members(&writer)
        bytes = writer.finish()
    }

    mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        bytes += name.utf8
        bytes += "\":".utf8
    }

    mutating func string(_ name: String, _ value: String) {
        key(name)
        JSONWriter.appendString(value, to: &bytes)
    }

    mutating func integer(_ name: String, _ value: Int64) {
        key(name)
        bytes += String(value).utf8
    }

    mutating func bool(_ name: String, _ value: Bool) {
        key(name)
        bytes += (value ? "true" : "false").utf8
    }

    mutating func date(_ name: String, _ value: Date) {
        key(name)
        JSONWriter.appendDouble(value.timeIntervalSinceReferenceDate, to: &bytes)
    }

    mutating func value(_ name: String, _ value: JSONValue) {
        key(name)
        JSONWriter.appendValue(value, to: &bytes)
    }

    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
