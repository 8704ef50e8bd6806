import Foundation
import Taskworks

/// The task console: a task list, a task detail page, a header dropdown of the caller's recent
/// tasks and admin views (schedules, the concurrency setting, running tasks by worker), live over
/// the API's event stream. It is a page, a style sheet and a script in four parts, static files
/// shipped in the library (no build step, no CDN). Any host serves it by handing requests to ``handle(_:)``, as it does for
/// ``TaskHTTPAPI``. The pages call that API with the browser's own session (cookies, same
/// origin), so the host authenticates them as it does any request.
///
/// Pages, under ``Configuration/prefix`` (default none): `/tasks` (the list; the URL holds the
/// search, filters and page), `/tasks/{id}` (one task), `/admin` (for callers the policy lets
/// view settings); `/` and the prefix itself serve the list too. Under a prefix the console's
/// own links use the prefix itself for the list and `PREFIX/{id}` for a task (as
/// ``TaskHTTPMount`` mounts it: `/tasks`, `/tasks/{id}`, `/tasks/admin`). Its files are under
/// `/console-assets/`. Every answer carries a strict ``contentSecurityPolicy`` (the console
/// needs no inline script or style).
///
/// ```swift
/// let console = try TaskConsole(configuration: .init(apiPrefix: "/api"))
/// // in the host's handler: if let response = console.handle(request) { return response }
/// ```
public struct TaskConsole: Sendable {
    /// A button in the console's header that creates a task through an API route.
    public struct CreateAction: Sendable, Hashable {
        /// The button's text, e.g. `New user export`.
        public var label: String
        /// The task type it creates; the button shows only to callers allowed to create it.
        public var taskType: String
        /// The API route it posts to, relative to the API prefix, e.g. `/users/export`.
        public var path: String
        /// The JSON body it posts.
        public var body: JSONValue

        /// Makes an action.
        public init(label: String, taskType: String, path: String, body: JSONValue = .object([:])) {
            self.label = label
            self.taskType = taskType
            self.path = path
            self.body = body
        }
    }

    /// Where the console lives and what it offers.
    public struct Configuration: Sendable {
        /// The path prefix of the console's pages, e.g. `/console`; empty (the default) puts them
        /// at `/tasks`.
        public var prefix: String
        /// Where the host mounted ``TaskHTTPAPI`` (its ``TaskHTTPAPI/Configuration/prefix``).
        /// Default `/api`.
        public var apiPrefix: String
        /// The page title and header text. Default `Tasks`.
        public var title: String
        /// Buttons that create tasks (a plugin's route, typically).
        public var createActions: [CreateAction]
        /// Where the "Sign in" link of an expired session goes; `nil` shows no link.
        public var signInURL: String?
        /// **Demo only**: names offered in a "signed in as" picker that sets the cookie
        /// ``demoUserCookie``, for example hosts without a sign-in. Empty (the default) shows none.
        public var demoUsers: [String]
        /// The cookie the demo picker sets. Default `taskworks_demo_user`.
        public var demoUserCookie: String

        /// Makes a configuration.
        public init(
            prefix: String = "", apiPrefix: String = "/api", title: String = "Tasks",
            createActions: [CreateAction] = [], signInURL: String? = nil, demoUsers: [String] = [],
            demoUserCookie: String = "taskworks_demo_user"
        ) {
            self.prefix = prefix
            self.apiPrefix = apiPrefix
            self.title = title
            self.createActions = createActions
            self.signInURL = signInURL
            self.demoUsers = demoUsers
            self.demoUserCookie = demoUserCookie
        }
    }

    /// The policy on every console answer: scripts, styles and requests from the host's own
    /// origin only, nothing inline, no framing.
    public static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// The configuration.
    public let configuration: Configuration
    let prefix: String
    private let page: [UInt8]
    /// The files under `/console-assets/`, by name, with their content types.
    private let assets: [String: (bytes: [UInt8], contentType: String)]
    /// The console's files besides the page: its style and its script in four parts (loaded in
    /// this order).
    static let assetFiles = [
        ("console", "css", "text/css; charset=utf-8"),
        ("console-core", "js", "text/javascript; charset=utf-8"),
        ("console-views", "js", "text/javascript; charset=utf-8"),
        ("console-dashboard", "js", "text/javascript; charset=utf-8"),
        ("console-live", "js", "text/javascript; charset=utf-8"),
    ]

    /// Loads the console's files and fills in `configuration`.
    ///
    /// - Throws: `TaskworksError/Code/invalidInput` when a prefix does not start with `/` (or is
    ///   not empty, for the console's own) or holds characters a path cannot;
    ///   `TaskworksError/Code/storageFailure` when the library's resources are missing.
    public init(configuration: Configuration = Configuration()) throws {
        let prefix = try TaskConsole.normalized(configuration.prefix, name: "prefix", allowsEmpty: true)
        let apiPrefix = try TaskConsole.normalized(
            configuration.apiPrefix, name: "apiPrefix", allowsEmpty: false)
        self.configuration = configuration
        self.prefix = prefix
        var settings: [String: JSONValue] = [
            "prefix": .string(prefix), "apiPrefix": .string(apiPrefix),
            "createActions": .array(
                configuration.createActions.map { action in
                    .object([
                        "label": .string(action.label), "taskType": .string(action.taskType),
                        "path": .string(action.path), "body": action.body,
                    ])
                }),
            "demoUsers": .array(configuration.demoUsers.map(JSONValue.string)),
            "demoUserCookie": .string(configuration.demoUserCookie),
        ]
        if let signIn = configuration.signInURL { settings["signInURL"] = .string(signIn) }
        let html = try TaskConsole.resource("console", "html")
            .replacingOccurrences(
                of: "{{CONFIG}}", with: TaskConsole.escapedForHTML(JSONValue.object(settings).jsonText)
            )
            .replacingOccurrences(of: "{{TITLE}}", with: TaskConsole.escapedForHTML(configuration.title))
            .replacingOccurrences(
                of: "{{ASSETS}}", with: TaskConsole.escapedForHTML(prefix + "/console-assets"))
        page = Array(html.utf8)
        var assets: [String: (bytes: [UInt8], contentType: String)] = [:]
        for (name, ext, contentType) in TaskConsole.assetFiles {
            assets["/console-assets/\(name).\(ext)"] = (
                Array(try TaskConsole.resource(name, ext).utf8), contentType
            )
        }
        self.assets = assets
    }

    /// The console's answer to `request`, or `nil` when the path is not one of its own (hand the
    /// request on). Only `GET` and `HEAD` are answered; other methods get 405.
    public func handle(_ request: TaskHTTPRequest) -> TaskHTTPResponse? {
        guard let path = ownPath(request.path) else { return nil }
        let body: [UInt8]
        let contentType: String
        switch path {
        case "", "/", "/tasks", "/admin":
            (body, contentType) = (page, "text/html; charset=utf-8")
        case _ where assets[path] != nil:
            (body, contentType) = (assets[path]?.bytes ?? [], assets[path]?.contentType ?? "")
        default:
            // `/tasks/{id}`, and under a prefix also `/{id}`.
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            let isTaskPage =
                (segments.count == 3 && segments[1] == "tasks" && TaskConsole.isTaskID(segments[2]))
                || (!prefix.isEmpty && segments.count == 2 && TaskConsole.isTaskID(segments[1]))
            guard isTaskPage else { return nil }
            (body, contentType) = (page, "text/html; charset=utf-8")
        }
        var headers = TaskHTTPAPI.securityHeaders
        headers["Content-Security-Policy"] = TaskConsole.contentSecurityPolicy
        let method = request.method.uppercased()
        guard method == "GET" || method == "HEAD" else {
            headers["Allow"] = "GET, HEAD"
            var response = TaskHTTPAPI.error(
                405, "methodNotAllowed", "the console's pages answer GET and HEAD only")
            response.headers.merge(headers) { own, _ in own }
            return response
        }
        headers["Content-Type"] = contentType
        let response = TaskHTTPResponse(status: 200, headers: headers, body: .bytes(body))
        return method == "HEAD" ? response.withoutBody() : response
    }

    private static func isTaskID(_ segment: Substring) -> Bool {
        (try? TaskID(parsing: String(segment))) != nil
    }

    /// `path` without the prefix, when it is under it.
    private func ownPath(_ path: String) -> String? {
        if prefix.isEmpty { return path }
        if path == prefix { return "" }
        guard path.hasPrefix(prefix + "/") else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    static func normalized(_ prefix: String, name: String, allowsEmpty: Bool) throws -> String {
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        if trimmed.isEmpty && (allowsEmpty || prefix == "/") { return "" }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/-._~"))
        guard trimmed.hasPrefix("/"), trimmed.utf8.count <= 200,
            trimmed.unicodeScalars.allSatisfy(allowed.contains)
        else {
            throw TaskworksError.invalidInput(
                "console \(name) '\(prefix.prefix(80))' must start with '/' and hold only letters, digits and "
                    + "'/-._~' (or be empty for the site root)")
        }
        return trimmed
    }

    static func resource(_ name: String, _ ext: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "console"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            throw TaskworksError.storageFailure(
                "the console's \(name).\(ext) is missing from the Taskworks bundle")
        }
        return text
    }

    /// `text` safe inside an HTML attribute or element.
    static func escapedForHTML(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
