import Synchronization

/// A closure called once a task reaches a terminal state (`succeeded`, `failed`, `cancelled`).
/// It may throw; the error is reported through ``TaskService/Configuration/callbackErrorHandler``
/// and never affects the task or the pool.
public typealias TaskCompletionHandler = @Sendable (TaskRecord) async throws -> Void

/// Maps task type names to the factories that run them. Host apps and plugins register their
/// types here before starting a ``WorkerPool``.
///
/// Safe to use from any thread; registering while a pool runs is allowed (new types are picked
/// up by the next claim).
///
/// ```swift
/// let registry = TaskRegistry()
/// try registry.register("resize_image", defaults: .init(maxRetries: 2)) { task in ResizeRunner() }
/// registry.onComplete(of: "resize_image") { task in print(task.id, task.status) }
/// ```
public final class TaskRegistry: Sendable {
    /// What is registered for one type.
    struct Entry: Sendable {
        var factory: any TaskRunnerFactory
        var defaults: TaskTypeDefaults
    }

    private struct State: Sendable {
        var entries: [String: Entry] = [:]
        var observers: [String: [TaskCompletionHandler]] = [:]
        var creationPermissions: [String: TaskPermission] = [:]
        var routes: [TaskHTTPRoute] = []
    }

    private let state = LockedState(State())
    private let observerCount = Atomic<Int>(0)

    /// Makes an empty registry.
    public init() {}

    /// Registers `typeName` with a factory.
    ///
    /// Names are 1–100 characters: ASCII letters, digits, `_`, `-`, `.` and `:`, starting with a
    /// letter (e.g. `user_export`, `images.resize`).
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` for an invalid name or defaults,
    ///   ``TaskworksError/Code/duplicateTaskType`` when the name is taken.
    public func register(
        _ typeName: String, defaults: TaskTypeDefaults = TaskTypeDefaults(),
        factory: some TaskRunnerFactory
    ) throws {
        try TaskRegistry.validate(typeName: typeName)
        try defaults.validate(for: typeName)
        try state.withLock { state in
            guard state.entries[typeName] == nil else {
                throw TaskRegistry.duplicate(typeName)
            }
            state.entries[typeName] = Entry(factory: factory, defaults: defaults)
        }
    }

    /// Registers `typeName` with a closure that makes a runner per attempt.
    ///
    /// - Throws: as ``register(_:defaults:factory:)``.
    public func register(
        _ typeName: String, defaults: TaskTypeDefaults = TaskTypeDefaults(),
        makeRunner: @escaping @Sendable (TaskRecord) throws -> any TaskRunner
    ) throws {
        try register(typeName, defaults: defaults, factory: ClosureTaskRunnerFactory(makeRunner))
    }

    /// Installs a plugin: every type it registers, its creation permissions and its
    /// ``TaskPlugin/httpRoutes``, or none of them if any fails.
    ///
    /// - Throws: the first error the plugin or a registration raised (a taken type name, a route
    ///   another plugin serves or one under Taskworks' own paths); the registry is unchanged.
    public func install(_ plugin: some TaskPlugin) throws {
        let staging = TaskRegistry()
        try plugin.register(into: staging)
        for route in plugin.httpRoutes { try staging.addRoute(route) }
        let staged = staging.state.withLock { $0 }
        try state.withLock { state in
            if let taken = staged.entries.keys.sorted().first(where: { state.entries[$0] != nil }) {
                throw TaskRegistry.duplicate(taken)
            }
            for route in staged.routes { try TaskRegistry.checkRoute(route, among: state.routes) }
            state.routes += staged.routes
            state.creationPermissions.merge(staged.creationPermissions) { current, _ in current }
            state.entries.merge(staged.entries) { current, _ in current }
            for (typeName, handlers) in staged.observers {
                state.observers[typeName, default: []].append(contentsOf: handlers)
            }
        }
        observerCount.add(
            staged.observers.values.reduce(0) { $0 + $1.count }, ordering: .sequentiallyConsistent)
    }

    /// Adds an observer called exactly once each time a task of `typeName` reaches a terminal
    /// state in this process (after the state is stored, off the worker's path).
    public func onComplete(of typeName: String, _ handler: @escaping TaskCompletionHandler) {
        state.withLock { $0.observers[typeName, default: []].append(handler) }
        observerCount.add(1, ordering: .sequentiallyConsistent)
    }

    /// Makes creating tasks of `typeName` need `permission` (the default is
    /// ``TaskPermission/create``): a ``RoleBasedTaskPolicy`` then lets only callers holding it
    /// create them, wherever they ask from.
    ///
    /// ```swift
    /// try registry.requirePermission("authorization:user:export", toCreate: "user_export")
    /// ```
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` for an invalid type name.
    public func requirePermission(_ permission: TaskPermission, toCreate typeName: String) throws {
        try TaskRegistry.validate(typeName: typeName)
        state.withLock { $0.creationPermissions[typeName] = permission }
    }

    /// The permission creating tasks of `typeName` needs: the one given to
    /// ``requirePermission(_:toCreate:)``, else ``TaskPermission/create``.
    public func creationPermission(for typeName: String) -> TaskPermission {
        state.withLock { $0.creationPermissions[typeName] } ?? .create
    }

    /// The HTTP routes installed plugins contribute, served by every `TaskHTTPAPI` (TaskworksHTTP) over this
    /// registry.
    public var httpRoutes: [TaskHTTPRoute] {
        state.withLock { $0.routes }
    }

    func addRoute(_ route: TaskHTTPRoute) throws {
        try state.withLock { state in
            try TaskRegistry.checkRoute(route, among: state.routes)
            state.routes.append(route)
        }
    }

    private static func checkRoute(_ route: TaskHTTPRoute, among routes: [TaskHTTPRoute]) throws {
        try route.validate()
        if let first = route.segments.first, TaskHTTPRoute.reservedFirstSegments.contains(first) {
            throw TaskworksError.invalidInput(
                "route \(route.method) \(route.path) is under /\(first), which Taskworks serves itself; "
                    + "give the plugin's routes a path of their own")
        }
        if routes.contains(where: { $0.method == route.method && $0.segments == route.segments }) {
            throw TaskworksError.invalidInput(
                "route \(route.method) \(route.path) is contributed twice; each route may be served once")
        }
    }

    /// Whether any observer is registered (lets terminal writes skip the lookup when none is).
    var hasObservers: Bool { observerCount.load(ordering: .sequentiallyConsistent) > 0 }

    /// Whether `typeName` is registered.
    public func contains(_ typeName: String) -> Bool {
        state.withLock { $0.entries[typeName] != nil }
    }

    /// Every registered type name, sorted.
    public var typeNames: [String] {
        state.withLock { $0.entries.keys.sorted() }
    }

    /// The defaults registered for `typeName`, or `nil` when it is not registered.
    public func defaults(for typeName: String) -> TaskTypeDefaults? {
        state.withLock { $0.entries[typeName]?.defaults }
    }

    func entry(for typeName: String) -> Entry? {
        state.withLock { $0.entries[typeName] }
    }

    func observers(for typeName: String) -> [TaskCompletionHandler] {
        state.withLock { $0.observers[typeName] ?? [] }
    }

    /// Checks the shape of a type name.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` saying what is wrong.
    public static func validate(typeName: String) throws {
        let scalars = typeName.unicodeScalars
        guard let first = scalars.first, (1...100).contains(scalars.count) else {
            throw TaskworksError.invalidInput(
                "task type name must be 1–100 characters; got \(scalars.count)")
        }
        func isLetter(_ s: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(s) || ("A"..."Z").contains(s)
        }
        let allowed = scalars.allSatisfy { s in
            isLetter(s) || ("0"..."9").contains(s) || s == "_" || s == "-" || s == "." || s == ":"
        }
        guard isLetter(first), allowed else {
            throw TaskworksError.invalidInput(
                "task type name '\(typeName.prefix(100))' is invalid: start with a letter and use "
                    + "only ASCII letters, digits, '_', '-', '.' and ':'")
        }
    }

    private static func duplicate(_ typeName: String) -> TaskworksError {
        TaskworksError(
            code: .duplicateTaskType,
            message: "task type '\(typeName)' is already registered; each type name can be "
                + "registered once per registry (pick another name or remove the second registration)")
    }
}
