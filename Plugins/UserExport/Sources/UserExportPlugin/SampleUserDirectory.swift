import Foundation

/// A made-up directory of `count` users, generated from their index on demand (no storage, so
/// a million users cost no memory): for demos, tests and benchmarks. Its values include the
/// awkward cases a real export meets — commas, quotes, accents, phone numbers starting with `+`.
public struct SampleUserDirectory: UserDirectory {
    /// How many users there are.
    public let count: Int
    /// How long each page takes to answer, as a slow database would: demos set it so that an
    /// export's progress can be watched. Default none.
    public let pageDelay: Duration
    private static let firstNames = ["Ada", "Grace", "Linus", "Zoë", "José", "Mary-Ann", "O'Neil", "Ken"]
    private static let lastNames = [
        "Lovelace", "Hopper", "Torvalds, Jr.", "Müller", "\"Ace\" Smith", "Ng", "Ritchie",
    ]
    private static let sources = ["signup", "sso", "import"]
    private static let roleSets = [["viewer"], ["editor", "viewer"], ["admin"], []]

    /// Makes a directory of `count` users, each page answered after `pageDelay`.
    public init(count: Int, pageDelay: Duration = .zero) {
        self.count = max(0, count)
        self.pageDelay = max(.zero, pageDelay)
    }

    /// The user at `index` (0-based).
    public func user(at index: Int) -> ExportedUser {
        let first = SampleUserDirectory.firstNames[index % SampleUserDirectory.firstNames.count]
        let last = SampleUserDirectory.lastNames[(index / 8) % SampleUserDirectory.lastNames.count]
        let username = "user\(index)"
        let created = Date(timeIntervalSince1970: 1_700_000_000 + Double(index) * 37)
        return ExportedUser(
            username: username, email: "\(username)@example.com", fullName: "\(first) \(last)",
            phone: index % 5 == 0 ? nil : "+1 555 \(1000 + index % 9000)",
            status: UserStatus.allCases[index % UserStatus.allCases.count],
            source: SampleUserDirectory.sources[index % SampleUserDirectory.sources.count],
            roles: SampleUserDirectory.roleSets[index % SampleUserDirectory.roleSets.count],
            mfaEnabled: index % 3 == 0,
            lastLogin: index % 4 == 1 ? nil : created.addingTimeInterval(86_400), createdAt: created)
    }

    private func matches(_ index: Int, _ filter: UserFilter) -> Bool {
        if let status = filter.status, UserStatus.allCases[index % UserStatus.allCases.count] != status {
            return false
        }
        guard let keywords = filter.keywords?.lowercased(), !keywords.isEmpty else { return true }
        let user = user(at: index)
        return user.username.lowercased().contains(keywords) || user.email.lowercased().contains(keywords)
            || user.fullName.lowercased().contains(keywords)
    }

    private var filtersAreArithmetic: (UserFilter) -> Bool {
        { ($0.keywords ?? "").isEmpty }
    }

    /// Counts the matching users.
    public func countUsers(matching filter: UserFilter) async throws -> Int {
        if filtersAreArithmetic(filter) {
            guard let status = filter.status else { return count }
            let position = UserStatus.allCases.firstIndex(of: status) ?? 0
            let states = UserStatus.allCases.count
            return count / states + (position < count % states ? 1 : 0)
        }
        return (0..<count).filter { matches($0, filter) }.count
    }

    /// A page of matching users in index order.
    public func users(matching filter: UserFilter, offset: Int, limit: Int) async throws -> [ExportedUser] {
        if pageDelay > .zero { try await Task.sleep(for: pageDelay) }
        if filtersAreArithmetic(filter) {
            // Without keywords, the n-th match is computed directly (status repeats every 4 users).
            let states = UserStatus.allCases.count
            let position = filter.status.flatMap { UserStatus.allCases.firstIndex(of: $0) }
            var page: [ExportedUser] = []
            var match = offset
            while page.count < limit {
                let index = position.map { match * states + $0 } ?? match
                guard index < count else { break }
                page.append(user(at: index))
                match += 1
            }
            return page
        }
        var page: [ExportedUser] = []
        var seen = 0
        for index in 0..<count where matches(index, filter) {
            if seen >= offset { page.append(user(at: index)) }
            seen += 1
            if page.count == limit { break }
        }
        return page
    }
}
