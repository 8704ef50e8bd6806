import UserExportPlugin

/// A user directory that answers each page after a pause, as a slow database would: with
/// `--export-page-delay-ms`, exports take long enough to watch their progress in the console.
struct PacedUserDirectory: UserDirectory {
    let base: any UserDirectory
    let delay: Duration

    func countUsers(matching filter: UserFilter) async throws -> Int {
        try await base.countUsers(matching: filter)
    }

    func users(matching filter: UserFilter, offset: Int, limit: Int) async throws -> [ExportedUser] {
        try await Task.sleep(for: delay)
        return try await base.users(matching: filter, offset: offset, limit: limit)
    }
}
