import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks
@testable import TaskworksHTTP

/// The API's edges: bodies, content types, methods, paths, links and headers.
@Suite("HTTP hardening")
struct HardeningTests {
    static func send(
        _ api: TaskHTTPAPI, _ method: String, _ path: String, body: String = "",
        headers: [String: String]? = nil, caller: Caller? = .admin("root")
    ) async -> TaskHTTPResponse {
        let given =
            headers ?? (["POST", "PUT"].contains(method) ? ["Content-Type": "application/json"] : [:])
        return await api.handle(
            TaskHTTPRequest(
                method: method, path: path, headers: given, body: Array(body.utf8), caller: caller))
    }

    @Test(arguments: [
        (#"{"type":"noop","paylod":{"n":1}}"#, "paylod"),
        (#"{"type":"noop","payload":{},"options":{}}"#, "options"),
        (#"{"type":"noop","Type":"noop"}"#, "Type"),
    ])
    func anUnknownBodyFieldIsA400NamingIt(body: String, field: String) async throws {
        let world = try await TaskHTTPAPITests.world()
        let before = try await world.service.counts(for: .admin("root")).total
        let response = await HardeningTests.send(world.api, "POST", "/api/tasks", body: body)
        #expect(response.status == 400)
        #expect(
            response.jsonText?.contains("unknown field \\\"\(field)\\\"") == true,
            "\(response.jsonText ?? "")")
        #expect(try await world.service.counts(for: .admin("root")).total == before)
    }

    @Test(arguments: [
        #"{"type":"noop","type":"noop"}"#, #"{"type":"noop","payload":{"a":1,"a":2}}"#,
        #"{"type":"noop","payload":[{"x":1,"x":1}]}"#,
    ])
    func aKeyGivenTwiceAnywhereIsA400(body: String) async throws {
        let world = try await TaskHTTPAPITests.world()
        let response = await HardeningTests.send(world.api, "POST", "/api/tasks", body: body)
        #expect(response.status == 400)
        #expect(response.jsonText?.contains("given twice") == true, "\(response.jsonText ?? "")")
    }

    @Test(
        arguments: [
            nil, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/jsonp", "text/json",
        ] as [String?])
    func aPostThatIsNotApplicationJSONIsA415(contentType: String?) async throws {
        let world = try await TaskHTTPAPITests.world()
        for path in ["/api/tasks", "/api/tasks/\(world.pending.id)/cancel", "/api/settings"] {
            let method = path.hasSuffix("settings") ? "PUT" : "POST"
            let response = await HardeningTests.send(
                world.api, method, path, body: #"{"type":"noop"}"#,
                headers: contentType.map { ["Content-Type": $0] } ?? [:])
            #expect(response.status == 415, "\(method) \(path) with \(contentType ?? "no type")")
        }
        #expect(try await world.service.task(world.pending.id, as: .admin("root")).status == .pending)
    }

    @Test(arguments: [
        "application/json", "Application/JSON; charset=utf-8", " application/json ;charset=UTF-8",
    ])
    func applicationJSONIsAcceptedInAnyCaseWithParameters(contentType: String) async throws {
        let world = try await TaskHTTPAPITests.world()
        let response = await HardeningTests.send(
            world.api, "POST", "/api/tasks", body: #"{"type":"noop"}"#, headers: ["content-type": contentType]
        )
        #expect(response.status == 201)
    }

    @Test func aWrongMethodIsA405ListingTheAllowedOnes() async throws {
        let world = try await TaskHTTPAPITests.world()
        let onTask = await HardeningTests.send(world.api, "PUT", "/api/tasks/\(world.pending.id)")
        #expect(onTask.status == 405)
        #expect(onTask.headers["Allow"] == "GET, DELETE, HEAD")
        let onList = await HardeningTests.send(world.api, "PATCH", "/api/tasks")
        #expect(onList.headers["Allow"] == "GET, POST, HEAD")
        let onAction = await HardeningTests.send(world.api, "GET", "/api/tasks/\(world.pending.id)/cancel")
        #expect(onAction.status == 405)
        #expect(onAction.headers["Allow"] == "POST")
        let literal = await HardeningTests.send(world.api, "DELETE", "/api/tasks/recent")
        #expect(literal.status == 405, "a literal segment wins over {id}")
    }

    @Test func headAnswersAsGetWithoutABody() async throws {
        let world = try await TaskHTTPAPITests.world()
        let get = await HardeningTests.send(world.api, "GET", "/api/tasks/\(world.pending.id)")
        let head = await HardeningTests.send(world.api, "HEAD", "/api/tasks/\(world.pending.id)")
        #expect(head.status == 200)
        #expect(try await head.collectBytes().isEmpty)
        #expect(head.headers["Content-Length"] == String(try await get.collectBytes().count))
        let artifact = await HardeningTests.send(world.api, "HEAD", "/api/tasks/\(world.report.id)/artifact")
        #expect(artifact.status == 200)
        #expect(artifact.headers["Content-Length"] == "5")
        #expect(try await artifact.collectBytes().isEmpty)
        let missing = await HardeningTests.send(world.api, "HEAD", "/api/tasks/\(TaskID())")
        #expect(missing.status == 404)
    }

    @Test func pathSegmentsArePercentDecodedOnce() async throws {
        let world = try await TaskHTTPAPITests.world()
        let id = world.pending.id.description
        let encoded = id.replacingOccurrences(of: "-", with: "%2D")
        #expect(await HardeningTests.send(world.api, "GET", "/api/tasks/\(encoded)").status == 200)
        let twice = id.replacingOccurrences(of: "-", with: "%252D")
        #expect(await HardeningTests.send(world.api, "GET", "/api/tasks/\(twice)").status == 400)
        #expect(await HardeningTests.send(world.api, "GET", "/api/tasks/a%2Fb").status == 400)
        #expect(await HardeningTests.send(world.api, "GET", "/api/tasks/%zz").status == 400)
        #expect(await HardeningTests.send(world.api, "GET", "/api/tasks/%").status == 400)
        #expect(await HardeningTests.send(world.api, "GET", "/api/tasks/%FF%FE").status == 400)
        let paused = await HardeningTests.send(world.api, "POST", "/api/task-types/no%6Fp/pause")
        #expect(paused.status == 200)
        #expect(try await world.service.pausedTaskTypes(as: .admin("root")) == ["noop"])
    }

    @Test func aBodyOverTheLimitIsA413AndStoresNothing() async throws {
        let world = try await TaskHTTPAPITests.world()
        let api = TaskHTTPAPI(
            service: world.service, configuration: .init(creatableTypes: ["noop"], maximumBodySize: 64))
        let big = #"{"type":"noop","payload":""# + String(repeating: "x", count: 100) + #""}"#
        let response = await HardeningTests.send(api, "POST", "/api/tasks", body: big)
        #expect(response.status == 413)
        #expect(try await world.service.counts(for: .admin("root")).total == 2)
    }

    @Test func signedLinksEncodeEveryQueryValue() async throws {
        let world = try await TaskHTTPAPITests.world()
        let task = try await world.service.create("noop", createdBy: .user("a+b&c=d e"))
        let key = ArtifactKey(for: task.id)
        _ = try await world.service.artifacts?.write(key) { try await $0.write("x") }
        _ = try await world.service.store.force(task.id) {
            $0.status = .succeeded
            $0.artifact = try? TaskArtifact(key: key.rawValue, fileName: "x.txt", contentType: "text/plain")
        }
        let issued = try await HardeningTests.send(
            world.api, "POST", "/api/tasks/\(task.id)/artifact/link", caller: .user("a+b&c=d e")
        ).collectJSON()
        let url = try #require(issued["url"]?.stringValue)
        #expect(url.contains("caller=user%3Aa%2Bb%26c%3Dd%20e&"), "\(url)")
        // A host that form-decodes the query (`+` as space) still gets the caller back.
        let query = try #require(url.split(separator: "?").last).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let formDecoded = parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            return URLQueryItem(name: parts[0], value: formDecoded)
        }
        let path = String(try #require(url.split(separator: "?").first))
        let download = await world.api.handle(
            TaskHTTPRequest(method: "GET", path: path, query: query, caller: nil))
        #expect(download.status == 200)
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let world = try await TaskHTTPAPITests.world()
        for response in [
            await HardeningTests.send(world.api, "GET", "/api/tasks"),
            await HardeningTests.send(world.api, "GET", "/api/nothing"),
            await HardeningTests.send(world.api, "GET", "/api/tasks", caller: nil),
            await HardeningTests.send(world.api, "GET", "/api/tasks/\(world.report.id)/artifact"),
        ] {
            #expect(response.headers["X-Content-Type-Options"] == "nosniff")
            #expect(response.headers["X-Frame-Options"] == "DENY")
            #expect(response.headers["Content-Security-Policy"]?.contains("frame-ancestors 'none'") == true)
        }
    }

    @Test func randomBodiesAndPathsNeverGiveA5xx() async throws {
        let world = try await TaskHTTPAPITests.world()
        var generator = SplitMix64(seed: 22)
        let pieces = [
            "tasks", "%", "%2F", "{", "settings", "..", "task-types", "recent", "artifact", "\u{0}", "é",
        ]
        for round in 0..<600 {
            let length = Int.random(in: 0...80, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let path =
                "/api/"
                + (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    pieces.randomElement(using: &generator) ?? ""
                }.joined(separator: "/")
            let method =
                ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"].randomElement(using: &generator) ?? "GET"
            let response = await world.api.handle(
                TaskHTTPRequest(
                    method: method, path: round.isMultiple(of: 3) ? "/api/tasks" : path,
                    headers: ["Content-Type": "application/json"], body: bytes, caller: .user("alice")))
            #expect(response.status < 500, "\(method) \(path): \(response.jsonText ?? "")")
        }
    }
}
