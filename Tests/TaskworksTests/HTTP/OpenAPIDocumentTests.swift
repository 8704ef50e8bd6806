import Foundation
import Testing

@testable import Taskworks
@testable import TaskworksHTTP

/// The shipped OpenAPI document and the handlers agree: every documented operation answers
/// with a documented status, and every route the handlers serve is documented.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static func operations(of api: TaskHTTPAPI? = nil) throws -> [(
        method: String, path: String, statuses: Set<Int>
    )] {
        let text = api?.servedOpenAPIDocument.jsonText
        let data = try text.map { Data($0.utf8) } ?? TaskHTTPAPI.openAPIDocument
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var result: [(String, String, Set<Int>)] = []
        for (path, methods) in paths {
            for (method, operation) in methods {
                let responses = try #require((operation as? [String: Any])?["responses"] as? [String: Any])
                result.append((method.uppercased(), path, Set(responses.keys.compactMap { Int($0) })))
            }
        }
        return result.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    @Test func everyDocumentedOperationAnswersWithADocumentedStatus() async throws {
        for operation in try OpenAPIDocumentTests.operations(of: try await TaskHTTPAPITests.world().api) {
            for caller in [Caller.admin("root"), .user("alice"), .user("bob")] {
                let world = try await TaskHTTPAPITests.world()
                let id = operation.path.contains("artifact") ? world.report.id : world.pending.id
                let path =
                    "/api"
                    + operation.path.replacingOccurrences(of: "{id}", with: id.description)
                    .replacingOccurrences(of: "{name}", with: "nightly")
                    .replacingOccurrences(of: "{type}", with: "noop")
                let body =
                    operation.method == "POST" && operation.path == "/tasks"
                    ? "{\"type\":\"noop\"}" : operation.method == "PUT" ? "{\"maxConcurrentTasks\":3}" : ""
                let response = await world.api.handle(
                    TaskHTTPRequest.sent(
                        method: operation.method, path: path, body: Array(body.utf8), caller: caller))
                #expect(
                    operation.statuses.contains(response.status),
                    "\(operation.method) \(operation.path) as \(caller) answered \(response.status), documented \(operation.statuses.sorted())"
                )
            }
            let anonymous = try await TaskHTTPAPITests.world().api.handle(
                TaskHTTPRequest.sent(
                    method: operation.method,
                    path: "/api"
                        + operation.path.replacingOccurrences(of: "{id}", with: TaskID().description)
                        .replacingOccurrences(of: "{name}", with: "nightly"), caller: nil))
            #expect(
                operation.statuses.contains(anonymous.status),
                "\(operation.method) \(operation.path) anonymously")
        }
    }

    @Test func everyServedRouteIsDocumentedAndNothingElse() async throws {
        let api = try await TaskHTTPAPITests.world().api
        let documented = Set(try OpenAPIDocumentTests.operations(of: api).map { "\($0.method) \($0.path)" })
        let served = Set(api.routeTemplates)
        #expect(documented == served)
        // The shipped document describes every route an API with links and schedules serves.
        let shipped = Set(try OpenAPIDocumentTests.operations().map { "\($0.method) \($0.path)" })
        #expect(shipped == served)
        let tested = TaskHTTPAPITests.routes.map { route in
            let path = route.path.replacingOccurrences(of: "/api", with: "").replacingOccurrences(
                of: "{pending}", with: "{id}"
            )
            .replacingOccurrences(of: "{report}", with: "{id}").replacingOccurrences(
                of: "/nightly/", with: "/{name}/"
            ).replacingOccurrences(of: "/task-types/noop/", with: "/task-types/{type}/")
            return "\(route.method) \(path)"
        }
        #expect(Set(tested).union(["GET /openapi.json"]) == served)
    }
}
