/// Which users an export includes.
public struct UserFilter: Sendable, Hashable {
    /// Case-insensitive text that must appear in the username, e-mail or full name; `nil` or
    /// empty matches everyone.
    public var keywords: String?
    /// Only users in this state; `nil` matches every state.
    public var status: UserStatus?

    /// Makes a filter.
    public init(keywords: String? = nil, status: UserStatus? = nil) {
        self.keywords = keywords
        self.status = status
    }
}

/// The host app's users, as the export plugin sees them. The plugin owns no user database: the
/// host implements this over its own (SQL, an API…). Pages are asked for in order, `offset`
/// growing by the size of the previous page; keyset pagination behind it is fine.
///
/// ```swift
/// struct AccountsDirectory: UserDirectory {
///     let db: Database
///     func countUsers(matching filter: UserFilter) async throws -> Int { try await db.count(filter) }
///     func users(matching filter: UserFilter, offset: Int, limit: Int) async throws -> [ExportedUser] {
///         try await db.users(filter, offset: offset, limit: limit).map(ExportedUser.init)
///     }
/// }
/// ```
public protocol UserDirectory: Sendable {
    /// How many users match `filter` (used for progress; it may change while the export runs).
    func countUsers(matching filter: UserFilter) async throws -> Int

    /// Up to `limit` users matching `filter`, skipping the first `offset`, in a stable order; an
    /// empty page ends the export.
    func users(matching filter: UserFilter, offset: Int, limit: Int) async throws -> [ExportedUser]
}
