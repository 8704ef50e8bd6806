/// The account states a user export can filter on.
public enum UserStatus: String, Sendable, Codable, CaseIterable, Hashable {
    /// Can sign in.
    case active
    /// Invited, has not signed in yet.
    case invited
    /// Locked after failed sign-ins or by an admin.
    case locked
    /// Switched off; kept for records.
    case disabled
}
