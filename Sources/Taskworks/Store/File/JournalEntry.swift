import Foundation

/// What one journal record says: a task as it now stands, a removal, a schedule's new tick, a
/// task type paused or resumed, or the rotation to the next journal generation. Written framed (``FileStoreFrame``) and read strictly: an unknown key is
/// an error, so nothing a record holds is ever dropped.
enum JournalEntry: Sendable {
    case task(TaskRecord)
    case rotate(Int)
    case remove(TaskID)
    case scheduleTick(ScheduleTick)
    case typePause(TaskTypePause)
    case settings(TaskSettings)

    /// Appends the framed journal record of a changed task: `{"task":{…}}` in a ``FileStoreFrame``.
    static func appendTask(_ record: TaskRecord, to bytes: inout [UInt8]) {
        FileStoreFrame.append(to: &bytes) { bytes in
            bytes += #"{"task":"#.utf8
            TaskRecordJSON.appendRecord(record, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends the framed journal record of a removal: `{"remove":"<id>"}`.
    static func appendRemoval(_ id: TaskID, to bytes: inout [UInt8]) {
        FileStoreFrame.append(to: &bytes) { $0 += #"{"remove":"\#(id)"}"#.utf8 }
    }

    /// Appends the rotation record to generation `next`, framed (or, for a version-1 journal
    /// being upgraded, as the bare line an older build follows).
    static func appendRotation(to next: Int, versionOne: Bool, to bytes: inout [UInt8]) {
        let json = #"{"rotate":\#(next)}"#
        if versionOne {
            bytes += (json + "\n").utf8
        } else {
            FileStoreFrame.append(to: &bytes) { $0 += json.utf8 }
        }
    }

    /// Appends the framed journal record of a schedule's new last tick.
    static func appendScheduleTick(_ tick: ScheduleTick, to bytes: inout [UInt8]) {
        FileStoreFrame.append(to: &bytes) { tick.appendJSON(to: &$0) }
    }

    /// Appends the framed journal record of a task type paused or resumed.
    static func appendTypePause(_ pause: TaskTypePause, to bytes: inout [UInt8]) {
        FileStoreFrame.append(to: &bytes) { pause.appendJSON(to: &$0) }
    }

    /// Appends the framed record of new shared settings: `{"settings":{"maxConcurrentTasks":N}}`.
    static func appendSettings(_ settings: TaskSettings, to bytes: inout [UInt8]) {
        FileStoreFrame.append(to: &bytes) { bytes in
            JSONObjectWriter.append(to: &bytes) { writer in
                writer.key("settings")
                JSONObjectWriter.append(to: &writer.bytes) { inner in
                    inner.integer("maxConcurrentTasks", Int64(settings.maxConcurrentTasks))
                }
            }
        }
    }

    /// Reads a journal record, or `nil` when it is not one.
    static func parsed(_ line: ArraySlice<UInt8>) -> JournalEntry? {
        try? parse(line)
    }

    /// Reads a journal record, or throws a ``JSONSyntaxError`` saying where and why it is not one.
    static func parse(_ line: ArraySlice<UInt8>) throws -> JournalEntry {
        try JSONParser.parseWhole(line) { parser in
            var entry: JournalEntry?
            var schedule: String?
            var lastTick: Date?
            var taskType: String?
            var paused: Bool?
            try parser.object { parser, key in
                switch key {
                case "schedule": schedule = try parser.string()
                case "lastTick": lastTick = try parser.date()
                case "taskType": taskType = try parser.string()
                case "paused": paused = try parser.bool()
                case "task": entry = .task(try parser.record())
                case "rotate": entry = .rotate(Int(try parser.integer()))
                case "settings": entry = .settings(try parser.settings())
                case "remove":
                    guard let uuid = TaskID.parseUUID(try parser.string().utf8) else {
                        throw parser.fail("bad id")
                    }
                    entry = .remove(TaskID(uuid: uuid))
                default: throw JSONSyntaxError(offset: parser.position, reason: "unexpected key \(key)")
                }
            }
            switch (entry, schedule, lastTick, taskType, paused) {
            case (let entry?, nil, nil, nil, nil): return entry
            case (nil, let name?, let tick?, nil, nil):
                return .scheduleTick(ScheduleTick(name: name, tick: tick))
            case (nil, nil, nil, let type?, let paused?):
                return .typePause(TaskTypePause(type: type, paused: paused))
            default:
                throw parser.fail(
                    "the record holds no single task, removal, rotation, schedule tick, type pause or settings"
                )
            }
        }
    }
}
