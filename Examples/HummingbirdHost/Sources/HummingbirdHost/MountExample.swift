// The DocC article "Mounting the API and the console" (TaskworksHTTP), compiled here so it cannot
// rot; `.ci/check-readme-examples` checks that the article shows exactly the marked lines.
import Hummingbird
import Taskworks
import TaskworksHummingbird

/// Mounts the API and the console on `router`; `signedInCaller` is the host's own sign-in.
func mountTaskworks(
    service: TaskService, on router: Router<BasicRequestContext>,
    signedInCaller: @escaping @Sendable (Request) async throws -> Caller?
) throws {
    // readme:begin mount-hummingbird
    let mount = try TaskHTTPMount(service: service, api: .init(creatableTypes: ["greet"]))
    router.addTaskworks(mount) { request, context in try await signedInCaller(request) }
    // readme:end mount-hummingbird
}
