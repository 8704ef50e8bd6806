#if Vapor
    import Foundation
    import Taskworks
    import TaskworksHTTP
    import TaskworksTesting
    import TaskworksVapor
    import Testing
    import Vapor
    import VaporTesting

    /// `TaskworksRoutes` and `TaskworksLifecycle` in a Vapor application: the API, the console and
    /// the host's own routes side by side, and the pool run for the application's lifetime.
    @Suite("Vapor adapter")
    struct VaporAdapterTests {
        static func configure(_ app: Application, _ mount: TaskHTTPMount) throws {
            app.get { _ in "the host's home page" }
            try app.register(
                collection: TaskworksRoutes(mount: mount) { request in
                    WebAdapterFixture.caller(named: request.headers.first(name: "X-User"))
                })
        }

        static func configuring(_ mount: TaskHTTPMount) -> @Sendable (Application) async throws -> Void {
            { app in try configure(app, mount) }
        }

        @Test(arguments: ["/tasks", "/admin/jobs"])
        func servesTheAPIAndTheConsoleUnderThePrefixAndLeavesTheRestToTheHost(prefix: String) async throws {
            let mount = try WebAdapterFixture.mount(prefix: prefix)
            try await withApp(configure: Self.configuring(mount)) { app in
                let tester = try app.testing()
                let alice: HTTPHeaders = ["X-User": "alice", "Content-Type": "application/json"]
                try await tester.test(.GET, prefix + "/api/tasks") { #expect($0.status == .unauthorized) }
                var taskID: String?
                try await tester.test(
                    .POST, prefix + "/api/tasks", headers: alice,
                    body: ByteBuffer(string: WebAdapterFixture.createBody)
                ) { response in
                    #expect(response.status == .created, "\(response.body.string)")
                    taskID = try JSONValue(jsonText: response.body.string)["id"]?.stringValue
                }
                let id = try #require(taskID)
                try await tester.test(.GET, prefix + "/api/tasks/\(id)", headers: alice) {
                    #expect($0.status == .ok)
                    #expect($0.body.string.contains("\"pending\""))
                }
                try await tester.test(.GET, prefix + "/api/tasks/\(id)", headers: ["X-User": "bob"]) {
                    #expect($0.status == .notFound)
                }
                for page in [prefix, prefix + "/admin", prefix + "/\(id)"] {
                    try await tester.test(.GET, page) { response in
                        #expect(response.status == .ok, "\(page)")
                        #expect(
                            response.headers.contentType?.description.hasPrefix("text/html") == true,
                            "\(page)")
                    }
                }
                try await tester.test(.GET, "/") { #expect($0.body.string == "the host's home page") }
                try await tester.test(.GET, prefix + "/nothing-here") { #expect($0.status == .notFound) }
            }
        }

        @Test func aBodyOverTheLimitGets413AsJSON() async throws {
            let mount = try WebAdapterFixture.mount(maximumBodySize: 64)
            try await withApp(configure: Self.configuring(mount)) { app in
                let big =
                    #"{"type":"noop","payload":{"n":1,"pad":""# + String(repeating: "x", count: 500) + #""}}"#
                try await app.testing(method: .running(port: 0)).test(
                    .POST, "/tasks/api/tasks",
                    headers: ["X-User": "alice", "Content-Type": "application/json"],
                    body: ByteBuffer(string: big)
                ) { response in
                    #expect(response.status == .payloadTooLarge)
                    let body = try JSONValue(jsonText: response.body.string)
                    #expect(body["error"]?["code"]?.stringValue == "payloadTooLarge")
                }
            }
        }

        @Test func theLifecycleRunsThePoolWhileTheApplicationRuns() async throws {
            let mount = try WebAdapterFixture.mount()
            let service = mount.api.service
            let pool = WorkerPool(service: service, configuration: .init(concurrency: 2))
            let pooled: @Sendable (Application) async throws -> Void = { app in
                try Self.configure(app, mount)
                app.lifecycle.use(TaskworksLifecycle(pool: pool, mount: mount))
            }
            try await withApp(configure: pooled) { app in
                try await app.asyncBoot()
                let task = try await service.create(Echo(n: 7), createdBy: .user("alice"))
                try await eventually("the pool ran the task") {
                    try await service.task(task.id, as: .system).status == .succeeded
                }
            }
        }
    }
#endif
