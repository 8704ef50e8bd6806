/// A module that brings task types: it registers them all through one entry point,
/// ``TaskRegistry/install(_:)``.
///
/// Installation is all or nothing: if any of the plugin's type names is taken or invalid,
/// none of them is registered.
///
/// ```swift
/// struct ImagePlugin: TaskPlugin {
///     func register(into registry: TaskRegistry) throws {
///         try registry.register("resize_image") { _ in ResizeRunner() }
///         try registry.register("crop_image") { _ in CropRunner() }
///     }
/// }
/// try registry.install(ImagePlugin())
/// ```
public protocol TaskPlugin: Sendable {
    /// Registers the plugin's task types and observers.
    func register(into registry: TaskRegistry) throws

    /// HTTP routes the plugin serves through `TaskHTTPAPI` (TaskworksHTTP) (for example `POST /users/export`),
    /// each checking its own permission. Default: none.
    var httpRoutes: [TaskHTTPRoute] { get }
}

extension TaskPlugin {
    /// No routes.
    public var httpRoutes: [TaskHTTPRoute] { [] }
}
