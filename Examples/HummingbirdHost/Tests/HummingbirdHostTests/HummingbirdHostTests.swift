import Foundation
import Glibc
import TaskworksTesting
import Testing

/// Starts the example server on a free loopback port and uses it over HTTP as a client would.
@Suite("hummingbird-host")
struct HummingbirdHostTests {
    @Test func anExportCreatedOverHTTPRunsAndDownloadsAndStaysPrivate() async throws {
        let example = try await ExampleServer.start("hummingbird-host", users: 2000)
        defer { example.cleanUp() }
        let server = example.process
        let http = example.http

        let page = try http.send("GET", "/tasks")
        #expect(page.status == 200)
        #expect(page.text.contains("<title>Tasks — Taskworks</title>"))
        #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
        #expect(page.headers["x-frame-options"] == "DENY")
        #expect(try http.send("GET", "/tasks/console-assets/console-live.js").status == 200)
        #expect(try http.send("GET", "/nothing-here").status == 404)
        let anonymous = try http.send("GET", "/tasks/api/tasks")
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["x-content-type-options"] == "nosniff")
        #expect(
            try http.send("GET", "/tasks/api/tasks?as=alice").status == 401, "query auth is off by default")

        // A cross-site form posts text/plain: refused before anything is created.
        let form = try http.send(
            "POST", "/tasks/api/users/export", user: "alice", body: #"{"status":"active"}"#,
            contentType: "text/plain")
        #expect(form.status == 415)
        let typo = try http.send(
            "POST", "/tasks/api/tasks", user: "alice",
            body: #"{"type":"user_export","paylod":{"status":"active"}}"#
        )
        #expect(typo.status == 400)
        #expect(typo.text.contains("paylod"))
        // bob is a viewer: no exports of the user directory.
        #expect(try http.send("POST", "/tasks/api/users/export", user: "bob", body: "{}").status == 403)
        #expect(
            try http.send("POST", "/tasks/api/tasks", user: "bob", body: #"{"type":"user_export"}"#).status
                == 403)
        #expect(
            try http.send("PUT", "/tasks/api/settings", user: "alice", body: #"{"maxConcurrentTasks":2}"#)
                .status
                == 403)
        let settings = try http.send(
            "PUT", "/tasks/api/settings", user: "admin", body: #"{"maxConcurrentTasks":3}"#)
        #expect(settings.json?["maxConcurrentTasks"] as? Int == 3)
        #expect(try http.send("HEAD", "/tasks/api/tasks", user: "alice").status == 200)

        let created = try http.send(
            "POST", "/tasks/api/users/export", user: "alice", body: #"{"status":"active"}"#)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json?["id"] as? String)
        let refused = try http.send(
            "POST", "/tasks/api/users/export", user: "alice", body: #"{"status":"gone"}"#)
        #expect(refused.status == 400)

        let finished = try await ExampleServer.poll("the export to finish") { () -> [String: Any]? in
            let task = try http.send("GET", "/tasks/api/tasks/\(id)", user: "alice").json
            return task?["status"] as? String == "succeeded" ? task : nil
        }
        #expect(finished["progress"] as? Int == 100)
        #expect(try http.send("GET", "/tasks/api/tasks/\(id)", user: "bob").status == 404)
        #expect(try http.send("GET", "/tasks/api/tasks/\(id)/artifact", user: "bob").status == 404)

        let download = try http.send("GET", "/tasks/api/tasks/\(id)/artifact", user: "alice")
        #expect(download.status == 200)
        #expect(
            download.headers["content-disposition"]?.hasPrefix("attachment; filename=\"users_export_") == true
        )
        let lines = download.text.split(separator: "\r\n")
        #expect(
            lines.first
                == "Username,Email,Full Name,Phone,Status,Source,Roles,MFA Enabled,Last Login,Created At")
        #expect(lines.count == 501)  // 2,000 users, a quarter of them active

        let link = try #require(
            try http.send("POST", "/tasks/api/tasks/\(id)/artifact/link", user: "alice").json?["url"]
                as? String)
        #expect(try http.send("GET", link).status == 200)  // no session: the signature is enough
        #expect(
            try http.send("GET", link.replacingOccurrences(of: "user%3Aalice", with: "user%3Abob")).status
                == 403)

        // An open console's event stream does not hold up graceful shutdown: on SIGTERM the
        // server ends the stream, stops, and exits 0.
        let stream = try http.openEventStream(user: "alice")
        defer { close(stream) }
        server.terminate()
        try await eventually("the server to exit after SIGTERM", timeout: .seconds(30)) { !server.isRunning }
        #expect(server.terminationStatus == 0)
    }

    @Test func sigtermLetsARunningExportFinishWithinTheGracePeriod() async throws {
        // 0.1 s per page of 100 users: a 2,000-user export runs for about 2 s.
        let first = try await ExampleServer.start(
            "hummingbird-host", users: 2000, arguments: ["--export-page-delay-ms", "100"])
        defer { first.cleanUp() }
        let created = try first.http.send("POST", "/tasks/api/users/export", user: "alice", body: "{}")
        let id = try #require(created.json?["id"] as? String)
        _ = try await ExampleServer.poll("the export to be running") { () -> Bool? in
            let task = try first.http.send("GET", "/tasks/api/tasks/\(id)", user: "alice").json
            return task?["status"] as? String == "running" ? true : nil
        }
        first.process.terminate()
        try await eventually("the server to exit after SIGTERM", timeout: .seconds(30)) {
            !first.process.isRunning
        }
        #expect(first.process.terminationStatus == 0)
        // Started again on the same data: the export finished before the server exited.
        let second = try await ExampleServer.start("hummingbird-host", users: 2000, reusing: first.scratch)
        defer { second.cleanUp() }
        let task = try #require(try second.http.send("GET", "/tasks/api/tasks/\(id)", user: "alice").json)
        #expect(task["status"] as? String == "succeeded")
        #expect(task["progress"] as? Int == 100)
    }
}
