import Foundation

/// Writes one JSON object member by member, in the order given, into a byte buffer: how record
/// writers (the file store's task records) produce their text without building a ``JSONValue``.
package struct JSONObjectWriter {
    package var bytes: [UInt8]
    package var first = true

    /// Starts an object at the end of `bytes`, which the writer takes over (moved, not copied:
    /// `bytes` is left empty until ``finish()`` hands the buffer back).
    package init(appendingTo bytes: inout [UInt8]) {
        self.bytes = []
        swap(&self.bytes, &bytes)
        self.bytes.append(UInt8(ascii: "{"))
    }

    /// Appends one object to `bytes`, its members written by `members` (the buffer is moved in
    /// and out, never copied).
    package static func append(to bytes: inout [UInt8], _ members: (inout JSONObjectWriter) -> Void) {
        var writer = JSONObjectWriter(appendingTo: &bytes)
        members(&writer)
        bytes = writer.finish()
    }

    /// Appends `"name":` (after a comma unless it is the first member). Names are literals,
    /// copied whole.
    package mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    package mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        JSONWriter.appendString(value, to: &bytes)
    }

    package mutating func integer(_ name: StaticString, _ value: Int64) {
        key(name)
        JSONWriter.appendInteger(value, to: &bytes)
    }

    package mutating func bool(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes += (value ? "true" : "false").utf8
    }

    package mutating func date(_ name: StaticString, _ value: Date) {
        key(name)
        JSONWriter.appendDouble(value.timeIntervalSinceReferenceDate, to: &bytes)
    }

    package mutating func value(_ name: StaticString, _ value: JSONValue) {
        key(name)
        JSONWriter.appendValue(value, to: &bytes)
    }

    package mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
