import Foundation

/// One user as the export writes it: one CSV row.
public struct ExportedUser: Sendable, Hashable {
    /// The sign-in name.
    public var username: String
    /// The e-mail address.
    public var email: String
    /// The display name.
    public var fullName: String
    /// The phone number, if known.
    public var phone: String?
    /// The account state.
    public var status: UserStatus
    /// Where the account came from (e.g. `signup`, `sso`, `import`).
    public var source: String
    /// The roles granted, written joined by `; `.
    public var roles: [String]
    /// Whether multi-factor authentication is on.
    public var mfaEnabled: Bool
    /// The last sign-in, if any.
    public var lastLogin: Date?
    /// When the account was created.
    public var createdAt: Date

    /// Makes a user row.
    public init(
        username: String, email: String, fullName: String, phone: String? = nil, status: UserStatus,
        source: String, roles: [String], mfaEnabled: Bool, lastLogin: Date? = nil, createdAt: Date
    ) {
        self.username = username
        self.email = email
        self.fullName = fullName
        self.phone = phone
        self.status = status
        self.source = source
        self.roles = roles
        self.mfaEnabled = mfaEnabled
        self.lastLogin = lastLogin
        self.createdAt = createdAt
    }
}
