import Foundation

/// The first record of a snapshot: `{"format":"taskworks-file-store","version":V,"generation":G,
/// "tasks":N,"schedules":M,"pausedTypes":P}`; N task records, M schedule records and P paused
/// types follow it, then a settings record when `"settings":1`. Version 2 headers have no `schedules` or `pausedTypes` (they read as 0); keys this build does not know are skipped, so a
/// newer header still gets its clear "this build reads versions …" error.
struct SnapshotHeader: Sendable, Hashable {
    var format: String
    var version: Int
    var generation: Int
    var tasks: Int
    var schedules: Int
    var pausedTypes: Int
    /// 1 when a settings record follows the paused types, else 0.
    var settings: Int = 0

    /// Appends the header's JSON object.
    func appendJSON(to bytes: inout [UInt8]) {
        JSONObjectWriter.append(to: &bytes) { writer in
            writer.string("format", format)
            writer.integer("version", Int64(version))
            writer.integer("generation", Int64(generation))
            writer.integer("tasks", Int64(tasks))
            writer.integer("schedules", Int64(schedules))
            writer.integer("pausedTypes", Int64(pausedTypes))
            writer.integer("settings", Int64(settings))
        }
    }

    /// Reads a header, or throws a ``JSONSyntaxError`` saying why the record is not one.
    static func parse(_ record: ArraySlice<UInt8>) throws -> SnapshotHeader {
        try JSONParser.parseWhole(record) { parser in
            var format: String?
            var version: Int?
            var generation: Int?
            var tasks: Int?
            var schedules = 0
            var pausedTypes = 0
            var settings = 0
            try parser.object { parser, key in
                switch key {
                case "format": format = try parser.string()
                case "version": version = try parser.int()
                case "generation": generation = try parser.int()
                case "tasks": tasks = try parser.int()
                case "schedules": schedules = try parser.int()
                case "pausedTypes": pausedTypes = try parser.int()
                case "settings": settings = try parser.int()
                default: _ = try parser.value()
                }
            }
            guard let format, let version, let generation, let tasks, tasks >= 0, schedules >= 0,
                pausedTypes >= 0, settings == 0 || settings == 1
            else {
                throw parser.fail("a snapshot header needs format, version, generation and tasks")
            }
            return SnapshotHeader(
                format: format, version: version, generation: generation, tasks: tasks, schedules: schedules,
                pausedTypes: pausedTypes, settings: settings)
        }
    }
}
