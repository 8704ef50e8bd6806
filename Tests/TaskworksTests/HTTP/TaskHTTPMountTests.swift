import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks
@testable import TaskworksHTTP

/// ``TaskHTTPMount``: the API and the console under one prefix, as the web adapters use it.
@Suite("HTTP mount")
struct TaskHTTPMountTests {
    static func service() throws -> TaskService {
        TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
    }

    @Test(arguments: ["", "/", "tasks", "/tasks with space", "/<script>"])
    func refusesTheSiteRootAndMalformedPrefixes(prefix: String) throws {
        let error = #expect(throws: TaskworksError.self) {
            try TaskHTTPMount(service: try Self.service(), prefix: prefix)
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("prefix") == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [("/tasks", "/tasks"), ("/admin/jobs/", "/admin/jobs")])
    func mountsTheAPIAndTheConsoleUnderThePrefix(prefix: String, expected: String) async throws {
        let mount = try TaskHTTPMount(service: try Self.service(), prefix: prefix)
        #expect(mount.prefix == expected)
        #expect(mount.isAPI(expected + "/api/tasks"))
        #expect(mount.isAPI(expected + "/api"))
        #expect(!mount.isAPI(expected + "/apis"))
        #expect(!mount.owns("/"))
        #expect(!mount.owns(expected + "x"))
        let id = TaskID()
        for page in [expected, expected + "/", expected + "/admin", expected + "/\(id)"] {
            let response = mount.page(TaskHTTPRequest(method: "GET", path: page, caller: nil))
            #expect(response?.status == 200, "\(page)")
            #expect(response?.headers["Content-Type"]?.hasPrefix("text/html") == true, "\(page)")
        }
        // The page tells the console where it and the API live.
        let html = try #require(mount.page(TaskHTTPRequest(method: "GET", path: expected, caller: nil)))
        guard case .bytes(let bytes) = html.body else {
            Issue.record("the page has no body")
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let escapedSlashes = expected.replacingOccurrences(of: "/", with: "\\/")
        #expect(
            text.contains("&quot;apiPrefix&quot;:&quot;\(expected)/api&quot;")
                || text.contains("&quot;apiPrefix&quot;:&quot;\(escapedSlashes)\\/api&quot;"),
            "\(text.prefix(600))")
        let script = mount.page(
            TaskHTTPRequest(method: "GET", path: expected + "/console-assets/console-core.js", caller: nil))
        #expect(script?.headers["Content-Type"]?.hasPrefix("text/javascript") == true)
        // Not the console's, not the API's: the host's router decides.
        #expect(mount.page(TaskHTTPRequest(method: "GET", path: "/", caller: nil)) == nil)
        #expect(mount.page(TaskHTTPRequest(method: "GET", path: expected + "/nope", caller: nil)) == nil)
        #expect(mount.page(TaskHTTPRequest(method: "GET", path: expected + "/api/tasks", caller: nil)) == nil)
    }

    @Test func apiRequestsGoToTheAPIAtThePrefix() async throws {
        let service = try Self.service()
        let mount = try TaskHTTPMount(service: service, api: .init(creatableTypes: ["noop"]))
        let anonymous = await mount.api.handle(
            TaskHTTPRequest(method: "GET", path: "/tasks/api/tasks", caller: nil))
        #expect(anonymous.status == 401)
        let created = await mount.api.handle(
            TaskHTTPRequest(
                method: "POST", path: "/tasks/api/tasks", headers: ["Content-Type": "application/json"],
                body: Array(#"{"type":"noop"}"#.utf8), caller: .user("alice")))
        #expect(created.status == 201, "\(created.jsonText ?? "")")
        let listed = await mount.api.handle(
            TaskHTTPRequest(method: "GET", path: "/tasks/api/tasks", caller: .user("alice")))
        let body = try await listed.collectJSON()
        #expect(body["total"]?.integerValue == 1, "\(body)")
    }

    @Test func aBodyOverTheLimitGets413InTheAPIsShape() async throws {
        let mount = try TaskHTTPMount(service: try Self.service(), api: .init(maximumBodySize: 10))
        #expect(mount.maximumBodySize == 10)
        let refused = mount.bodyTooLarge()
        #expect(refused.status == 413)
        #expect(refused.headers["X-Content-Type-Options"] == "nosniff")
        let body = try await refused.collectJSON()
        #expect(body["error"]?["code"]?.stringValue == "payloadTooLarge")
    }

    @Test func withoutAConsoleOnlyTheAPIIsServed() throws {
        let mount = try TaskHTTPMount(service: try Self.service(), console: nil)
        #expect(mount.console == nil)
        #expect(mount.page(TaskHTTPRequest(method: "GET", path: "/tasks", caller: nil)) == nil)
    }
}
