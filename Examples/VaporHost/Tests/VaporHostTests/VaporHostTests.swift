import Foundation
import Glibc
import TaskworksTesting
import Testing

/// Starts the Vapor example on a free loopback port and uses it over HTTP as a client would: the
/// same API, console and export plugin as the Hummingbird example, mounted the Vapor way.
@Suite("vapor-host")
struct VaporHostTests {
    @Test func theAPIAndConsoleServeAnExportAndShutDownCleanly() async throws {
        let example = try await ExampleServer.start("vapor-host", users: 2000)
        defer { example.cleanUp() }
        let server = example.process
        let http = example.http

        let page = try http.send("GET", "/tasks")
        #expect(page.status == 200)
        #expect(page.text.contains("<title>Tasks — Taskworks</title>"))
        #expect(
            page.headers["content-security-policy"]
                == "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
        #expect(try http.send("GET", "/tasks/console-assets/console-live.js").status == 200)
        #expect(try http.send("GET", "/tasks/api/tasks").status == 401)
        #expect(try http.send("POST", "/tasks/api/users/export", user: "bob", body: "{}").status == 403)
        #expect(
            try http.send(
                "POST", "/tasks/api/users/export", user: "alice", body: "{}", contentType: "text/plain"
            )
            .status == 415)
        let caller = try http.send("GET", "/tasks/api/caller", user: "alice")
        #expect((caller.json?["permissions"] as? [String])?.contains("task:cancel") == true)

        let created = try http.send(
            "POST", "/tasks/api/users/export", user: "alice", body: #"{"status":"active"}"#)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json?["id"] as? String)
        let finished = try await ExampleServer.poll("the export to finish") { () -> [String: Any]? in
            let task = try http.send("GET", "/tasks/api/tasks/\(id)", user: "alice").json
            return task?["status"] as? String == "succeeded" ? task : nil
        }
        #expect(finished["progress"] as? Int == 100)
        #expect(try http.send("GET", "/tasks/api/tasks/\(id)", user: "bob").status == 404)
        let download = try http.send("GET", "/tasks/api/tasks/\(id)/artifact", user: "alice")
        #expect(download.status == 200)
        #expect(download.text.split(separator: "\r\n").count == 501)  // 2,000 users, a quarter active

        // SIGTERM with a console's event stream open: the stream ends, the server exits 0.
        let stream = try http.openEventStream(user: "alice")
        defer { close(stream) }
        server.terminate()
        try await eventually("the server to exit after SIGTERM", timeout: .seconds(30)) { !server.isRunning }
        #expect(server.terminationStatus == 0)
    }
}
