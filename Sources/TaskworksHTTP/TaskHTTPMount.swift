import Taskworks

/// Taskworks' HTTP API, its event stream and the task console under one path prefix, ready for
/// a web framework's adapter (`TaskworksHummingbird`, `TaskworksVapor`, or a host's own).
///
/// Under the prefix `P` (default `/tasks`; never the site root):
///
/// | path | serves |
/// |---|---|
/// | `P` | the console's task list |
/// | `P/{id}` | the console's page of one task |
/// | `P/admin` | the console's admin views |
/// | `P/console-assets/…` | the console's style and scripts |
/// | `P/api/…` | ``TaskHTTPAPI``, `P/api/events` and `P/api/openapi.json` included |
///
/// An adapter asks ``isAPI(_:)`` of each request's path: API requests get a caller and a body
/// (at most ``maximumBodySize`` bytes; ``bodyTooLarge()`` otherwise) and go to ``api``; other
/// requests go to ``page(_:)``, and on to the host's own routes when it answers `nil`.
///
/// ```swift
/// let mount = try TaskHTTPMount(service: service)
/// // API at /tasks/api, the console at /tasks
/// ```
public struct TaskHTTPMount: Sendable {
    /// The prefix used when the host names none: `/tasks`.
    public static let defaultPrefix = "/tasks"
    /// The request headers the API reads; adapters pass these on.
    public static let forwardedHeaders = ["Content-Type", "Accept", "Last-Event-ID"]

    /// The prefix everything lives under, without a trailing `/`.
    public let prefix: String
    /// The API, mounted at ``prefix`` + `/api`.
    public let api: TaskHTTPAPI
    /// The console, or `nil` when the host mounts none.
    public let console: TaskConsole?

    /// Mounts the API over `service` and, unless `console` is `nil`, the console.
    ///
    /// - Parameters:
    ///   - service: The service the API and the console act through, as each request's caller.
    ///   - prefix: Where everything lives, e.g. `/tasks` (the default) or `/admin/jobs`.
    ///   - api: The API's options; its ``TaskHTTPAPI/Configuration/prefix`` is replaced by
    ///     `prefix` + `/api`.
    ///   - console: The console's options, or `nil` for no console; its prefixes are replaced
    ///     by `prefix` and `prefix` + `/api`.
    /// - Throws: `TaskworksError/Code/invalidInput` when `prefix` is empty or `/`, does not start
    ///   with `/`, or holds characters other than letters, digits and `/-._~`.
    public init(
        service: TaskService, prefix: String = TaskHTTPMount.defaultPrefix,
        api: TaskHTTPAPI.Configuration = .init(), console: TaskConsole.Configuration? = .init()
    ) throws {
        let normalized = try TaskConsole.normalized(prefix, name: "mount prefix", allowsEmpty: false)
        guard !normalized.isEmpty else {
            throw TaskworksError.invalidInput(
                "the mount prefix must not be the site root: pick a path such as '/tasks'")
        }
        self.prefix = normalized
        var apiConfiguration = api
        apiConfiguration.prefix = normalized + "/api"
        self.api = TaskHTTPAPI(service: service, configuration: apiConfiguration)
        if var consoleConfiguration = console {
            consoleConfiguration.prefix = normalized
            consoleConfiguration.apiPrefix = normalized + "/api"
            self.console = try TaskConsole(configuration: consoleConfiguration)
        } else {
            self.console = nil
        }
    }

    /// The largest request body the API takes (its ``TaskHTTPAPI/Configuration/maximumBodySize``).
    public var maximumBodySize: Int { api.configuration.maximumBodySize }

    /// Whether `path` (as sent, without the query) is under ``prefix`` at all.
    public func owns(_ path: String) -> Bool {
        path == prefix || path.hasPrefix(prefix + "/")
    }

    /// Whether `path` is an API path: it needs a caller and a body.
    public func isAPI(_ path: String) -> Bool {
        let apiPrefix = prefix + "/api"
        return path == apiPrefix || path.hasPrefix(apiPrefix + "/")
    }

    /// The console's answer to a request for one of its pages or files, or `nil` when the path is
    /// not one (hand the request on).
    public func page(_ request: TaskHTTPRequest) -> TaskHTTPResponse? {
        guard owns(request.path), !isAPI(request.path) else { return nil }
        return console?.handle(request)
    }

    /// The API's answer to a body over ``maximumBodySize``: 413 with a JSON error.
    public func bodyTooLarge() -> TaskHTTPResponse {
        TaskHTTPAPI.response(for: .payloadTooLarge(count: nil, limit: maximumBodySize))
    }

    /// Ends every open event stream (``TaskHTTPAPI/finishEventStreams()``): call it at graceful
    /// shutdown, so the server need not wait for open consoles.
    public func finishEventStreams() {
        api.finishEventStreams()
    }
}
