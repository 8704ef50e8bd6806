import Taskworks

/// Runs one `user_export`: counts the matching users, then streams them page by page into a
/// CSV artifact, reporting progress per page and stopping between pages when cancelled (the
/// partial file is then removed by the framework).
struct UserExportRunner: TaskRunner {
    let directory: any UserDirectory
    let pageSize: Int
    let clock: any TaskClock

    func run(_ context: TaskContext) async throws -> (any Encodable & Sendable)? {
        let request = try UserExportRequest.validated(context.task.payload)
        let filter = request.filter
        let total = try await directory.countUsers(matching: filter)
        let fileName = UserCSV.fileName(at: clock.now())
        var rows = 0
        context.log(.info, "exporting \(total) users", metadata: ["export.file": fileName])
        try await context.writeArtifact(fileName: fileName, contentType: "text/csv; charset=utf-8") { out in
            try await out.write(UserCSV.headerLine)
            var chunk: [UInt8] = []
            while true {
                try context.checkCancellation()
                let page = try await directory.users(matching: filter, offset: rows, limit: pageSize)
                chunk.removeAll(keepingCapacity: true)
                for user in page { UserCSV.appendRow(user, to: &chunk) }
                try await out.write(chunk)
                rows += page.count
                if total > 0 {
                    context.reportProgress(completed: rows, of: total)
                } else {
                    context.reportProgress(100)
                }
                if page.count < pageSize { break }
            }
        }
        context.log(.info, "exported \(rows) users", metadata: ["export.file": fileName])
        return UserExportResult(rows: rows, fileName: fileName)
    }
}
