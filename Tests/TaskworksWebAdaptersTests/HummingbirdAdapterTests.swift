#if Hummingbird
    import Foundation
    import HTTPTypes
    import Hummingbird
    import HummingbirdTesting
    import Taskworks
    import TaskworksHTTP
    import TaskworksHummingbird
    import Testing

    /// `router.addTaskworks(mount, caller:)` on a live Hummingbird server: the API, the console and
    /// the host's own routes side by side.
    @Suite("Hummingbird adapter")
    struct HummingbirdAdapterTests {
        // A literal name HTTPTypes always accepts.
        static let userField = HTTPField.Name("X-User")!

        static func application(_ mount: TaskHTTPMount) -> some ApplicationProtocol {
            let router = Router()
            router.get("/") { _, _ in "the host's home page" }
            router.addTaskworks(mount) { request, _ in
                WebAdapterFixture.caller(named: request.headers[Self.userField])
            }
            return Application(router: router)
        }

        @Test(arguments: ["/tasks", "/admin/jobs"])
        func servesTheAPIAndTheConsoleUnderThePrefixAndLeavesTheRestToTheHost(prefix: String) async throws {
            let mount = try WebAdapterFixture.mount(prefix: prefix)
            try await Self.application(mount).test(.live) { client in
                let user: HTTPFields = [Self.userField: "alice"]
                try await client.execute(uri: prefix + "/api/tasks", method: .get) { response in
                    #expect(response.status == .unauthorized)
                }
                var json = user
                json[.contentType] = "application/json"
                let id = try await client.execute(
                    uri: prefix + "/api/tasks", method: .post, headers: json,
                    body: ByteBuffer(string: WebAdapterFixture.createBody)
                ) { response in
                    #expect(response.status == .created, "\(String(buffer: response.body))")
                    return try JSONValue(jsonText: String(buffer: response.body))["id"]?.stringValue
                }
                let taskID = try #require(id)
                try await client.execute(uri: prefix + "/api/tasks/\(taskID)", method: .get, headers: user) {
                    #expect($0.status == .ok)
                    #expect(String(buffer: $0.body).contains("\"pending\""))
                }
                try await client.execute(uri: prefix + "/api/tasks/\(taskID)", method: .head, headers: user) {
                    #expect($0.status == .ok)
                    #expect($0.body.readableBytes == 0)
                }
                // bob may not see alice's task: not found, as for a task that does not exist.
                try await client.execute(
                    uri: prefix + "/api/tasks/\(taskID)", method: .get,
                    headers: [Self.userField: "bob"]
                ) { #expect($0.status == .notFound) }
                for page in [prefix, prefix + "/admin", prefix + "/\(taskID)"] {
                    try await client.execute(uri: page, method: .get) { response in
                        #expect(response.status == .ok, "\(page)")
                        #expect(response.headers[.contentType]?.hasPrefix("text/html") == true, "\(page)")
                        #expect(response.headers[.contentSecurityPolicy] == TaskConsole.contentSecurityPolicy)
                    }
                }
                try await client.execute(uri: prefix + "/console-assets/console-core.js", method: .get) {
                    #expect($0.status == .ok)
                }
                try await client.execute(uri: "/", method: .get) {
                    #expect(String(buffer: $0.body) == "the host's home page")
                }
                try await client.execute(uri: prefix + "/nothing-here", method: .get) {
                    #expect($0.status == .notFound)
                }
            }
        }

        @Test func aBodyOverTheLimitGets413AsJSON() async throws {
            let mount = try WebAdapterFixture.mount(maximumBodySize: 64)
            try await Self.application(mount).test(.live) { client in
                let headers: HTTPFields = [
                    Self.userField: "alice", .contentType: "application/json",
                ]
                let big =
                    #"{"type":"noop","payload":{"n":1,"pad":""# + String(repeating: "x", count: 500) + #""}}"#
                try await client.execute(
                    uri: "/tasks/api/tasks", method: .post, headers: headers, body: ByteBuffer(string: big)
                ) { response in
                    #expect(response.status == .contentTooLarge)
                    let body = try JSONValue(jsonText: String(buffer: response.body))
                    #expect(body["error"]?["code"]?.stringValue == "payloadTooLarge")
                }
            }
        }
    }
#endif
