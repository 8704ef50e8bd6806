import Taskworks

/// The payload of a `user_export` task.
///
/// ```swift
/// try await service.create(
///     UserExportPlugin.taskType, payload: UserExportRequest(keywords: "smith", status: .active),
///     createdBy: .user("alice"))
/// ```
public struct UserExportRequest: Sendable, Codable, Hashable {
    /// Matches the username, e-mail or full name, case-insensitively; at most 200 characters.
    public var keywords: String?
    /// Only users in this state (`active`, `invited`, `locked` or `disabled`).
    public var status: UserStatus?

    /// Makes a request; both filters are optional.
    public init(keywords: String? = nil, status: UserStatus? = nil) {
        self.keywords = keywords
        self.status = status
    }

    /// The filter the request asks for.
    public var filter: UserFilter { UserFilter(keywords: keywords, status: status) }

    /// Reads and checks a payload; a missing payload exports every user.
    ///
    /// - Throws: `TaskworksError.Code.invalidInput` saying which field is wrong and what is
    ///   allowed.
    public static func validated(_ payload: JSONValue?) throws -> UserExportRequest {
        guard let payload, payload != .null else { return UserExportRequest() }
        guard case .object(let fields) = payload else {
            throw TaskworksError.invalidInput(
                "a user_export payload is an object with optional \"keywords\" and \"status\"")
        }
        if let unknown = fields.keys.sorted().first(where: { $0 != "keywords" && $0 != "status" }) {
            throw TaskworksError.invalidInput(
                "user_export does not know the payload field \"\(unknown.prefix(40))\"; use \"keywords\" and/or \"status\""
            )
        }
        var request = UserExportRequest()
        switch fields["keywords"] {
        case nil, .null?: break
        case .string(let text)?:
            guard text.count <= 200,
                !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw TaskworksError.invalidInput(
                    "user_export \"keywords\" must be at most 200 characters on one line")
            }
            request.keywords = text
        default:
            throw TaskworksError.invalidInput("user_export \"keywords\" must be a string")
        }
        switch fields["status"] {
        case nil, .null?: break
        case .string(let text)?:
            guard let status = UserStatus(rawValue: text) else {
                throw TaskworksError.invalidInput(
                    "user_export \"status\" '\(text.prefix(40))' is not one of "
                        + UserStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            request.status = status
        default:
            throw TaskworksError.invalidInput(
                "user_export \"status\" must be one of "
                    + UserStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return request
    }
}

/// What a finished `user_export` returns as its result.
public struct UserExportResult: Sendable, Codable, Hashable {
    /// Users written (rows after the header).
    public var rows: Int
    /// The CSV's file name, `users_export_YYYYMMDD_HHMMSS.csv` (UTC).
    public var fileName: String

    /// Makes a result.
    public init(rows: Int, fileName: String) {
        self.rows = rows
        self.fileName = fileName
    }
}
