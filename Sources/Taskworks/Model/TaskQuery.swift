import Foundation

/// What to list: filters, sort order and page. Every filter is optional; an unset one matches
/// everything. Deleted tasks never match.
///
/// ```swift
/// var query = TaskQuery(page: 2, pageSize: 20)
/// query.statuses = [.failed]
/// query.search = "export"
/// let page = try await service.list(query, as: .user("alice"))
/// ```
public struct TaskQuery: Sendable, Hashable {
    /// The largest page size ``TaskService/list(_:as:)`` accepts.
    public static let maximumPageSize = 100
    /// The page size used when none is given.
    public static let defaultPageSize = 10

    /// Only tasks in one of these statuses.
    public var statuses: Set<TaskStatus>?
    /// Only tasks of one of these types.
    public var types: Set<String>?
    /// Only tasks created by this id. Honoured for admins and the system; for a user it is
    /// always replaced by the user's own id.
    public var createdBy: String?
    /// Only tasks created at or after this date.
    public var createdAfter: Date?
    /// Only tasks created before this date.
    public var createdBefore: Date?
    /// Case-insensitive literal substring of the type, the id or the error message. `%`, `_`,
    /// `*` and quotes are ordinary characters. Empty means no search.
    public var search: String?
    /// The order of the results.
    public var sort: TaskSort
    /// 1-based page number; a page past the end is empty, not an error.
    public var page: Int
    /// Tasks per page, 1 to ``maximumPageSize``.
    public var pageSize: Int

    /// Makes a query; by default the newest 10 visible tasks.
    public init(
        statuses: Set<TaskStatus>? = nil,
        types: Set<String>? = nil,
        createdBy: String? = nil,
        createdAfter: Date? = nil,
        createdBefore: Date? = nil,
        search: String? = nil,
        sort: TaskSort = .createdDescending,
        page: Int = 1,
        pageSize: Int = TaskQuery.defaultPageSize
    ) {
        self.statuses = statuses
        self.types = types
        self.createdBy = createdBy
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.search = search
        self.sort = sort
        self.page = page
        self.pageSize = pageSize
    }

    /// How many matching tasks come before this page, or `nil` when that number overflows
    /// (so the page is past any possible end).
    public var offset: Int? {
        let (product, overflow) = (page - 1).multipliedReportingOverflow(by: pageSize)
        return overflow ? nil : product
    }

    /// The search text folded for matching, or `nil` when there is no search.
    var foldedSearch: String? {
        guard let search, !search.isEmpty else { return nil }
        return search.lowercased()
    }

    /// Whether `task` passes every filter (not the page).
    public func matches(_ task: TaskRecord) -> Bool {
        guard matchesIgnoringSearch(task) else { return false }
        guard let needle = foldedSearch else { return true }
        return TaskQuery.searchKey(of: task).contains(needle)
    }

    /// Whether `task` passes every filter except ``search``.
    func matchesIgnoringSearch(_ task: TaskRecord) -> Bool {
        if task.deletedAt != nil { return false }
        if let statuses, !statuses.contains(task.status) { return false }
        if let types, !types.contains(task.type) { return false }
        if let createdBy, task.createdBy != createdBy { return false }
        if let createdAfter, task.createdAt < createdAfter { return false }
        if let createdBefore, task.createdAt >= createdBefore { return false }
        return true
    }

    /// The text ``search`` looks in: type, id and error message, lowercased, separated by a
    /// newline so a match never spans two fields (search text is a single line).
    static func searchKey(of task: TaskRecord) -> String {
        "\(task.type)\n\(task.id)\n\(task.errorMessage ?? "")".lowercased()
    }

    /// The highest page a query may ask for.
    public static let maximumPage = 1_000_000

    /// Checks the page, page size and filters.
    ///
    /// - Throws: ``TaskworksError/Code/invalidQuery`` saying which value is out of range.
    public func validate() throws {
        guard (1...TaskQuery.maximumPage).contains(page) else {
            throw TaskworksError.invalidQuery(
                "page must be 1 to \(TaskQuery.maximumPage) (pages count from 1); got \(page)")
        }
        guard (1...TaskQuery.maximumPageSize).contains(pageSize) else {
            throw TaskworksError.invalidQuery(
                "pageSize must be between 1 and \(TaskQuery.maximumPageSize); got \(pageSize)")
        }
        if let search {
            guard search.unicodeScalars.count <= 200 else {
                throw TaskworksError.invalidQuery(
                    "search text must be at most 200 characters; got \(search.unicodeScalars.count)")
            }
            guard !search.containsControlCharacters else {
                throw TaskworksError.invalidQuery("search text must be one line without control characters")
            }
        }
        if let createdBy {
            guard createdBy.utf8.count <= 200, !createdBy.containsControlCharacters else {
                throw TaskworksError.invalidQuery(
                    "createdBy must be a creator id: at most 200 bytes, one line")
            }
        }
        if let createdAfter, let createdBefore, createdAfter > createdBefore {
            throw TaskworksError.invalidQuery("createdAfter must not be later than createdBefore")
        }
    }
}

/// The order of a task list. Ties are broken by creation order, so pages are stable.
public enum TaskSort: String, Sendable, Hashable, CaseIterable {
    /// Newest first (the default).
    case createdDescending
    /// Oldest first.
    case createdAscending
    /// Highest priority first, newest first within a priority.
    case priorityDescending
    /// Most recently changed first.
    case updatedDescending
}

/// One page of a task list and the number of tasks matching the query on all pages.
public struct TaskPage: Sendable, Hashable {
    /// The tasks on this page, in the query's order.
    public var items: [TaskRecord]
    /// How many tasks match the query in all.
    public var total: Int
    /// This page's number.
    public var page: Int
    /// The page size used.
    public var pageSize: Int

    /// Makes a page.
    public init(items: [TaskRecord], total: Int, page: Int, pageSize: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.pageSize = pageSize
    }

    /// `true` when pages after this one hold more tasks.
    public var hasMore: Bool {
        let (end, overflow) = page.multipliedReportingOverflow(by: pageSize)
        return !overflow && end < total
    }
}
