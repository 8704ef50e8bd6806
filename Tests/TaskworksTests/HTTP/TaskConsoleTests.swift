import Foundation
import Testing

@testable import Taskworks
@testable import TaskworksHTTP

/// The console's files as a host serves them: the right pages at the right paths, a strict
/// policy on each, and configuration text that cannot break out of the page.
@Suite("Task console")
struct TaskConsoleTests {
    static func get(_ console: TaskConsole, _ path: String, method: String = "GET") -> TaskHTTPResponse? {
        console.handle(TaskHTTPRequest(method: method, path: path, caller: nil))
    }

    static func text(_ response: TaskHTTPResponse?) -> String {
        guard case .bytes(let bytes)? = response?.body else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: [
        ("", "/tasks", "text/html"), ("", "/", "text/html"), ("", "/admin", "text/html"),
        ("", "/tasks/3f2504e0-4f89-41d3-9a0c-0305e82c3301", "text/html"),
        ("", "/console-assets/console-live.js", "text/javascript"),
        ("", "/console-assets/console.css", "text/css"),
        ("/console", "/console", "text/html"), ("/console/", "/console/tasks", "text/html"),
        ("/console", "/console/console-assets/console-live.js", "text/javascript"),
    ])
    func itsOwnPathsAreServedWithAStrictPolicy(prefix: String, path: String, contentType: String) throws {
        let console = try TaskConsole(configuration: .init(prefix: prefix))
        let response = try #require(TaskConsoleTests.get(console, path))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"]?.hasPrefix(contentType) == true)
        #expect(response.headers["Content-Security-Policy"] == TaskConsole.contentSecurityPolicy)
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        #expect(response.headers["X-Frame-Options"] == "DENY")
        #expect(!TaskConsoleTests.text(response).isEmpty)
        let head = try #require(TaskConsoleTests.get(console, path, method: "HEAD"))
        #expect(head.status == 200)
        #expect(head.headers["Content-Length"] == String(TaskConsoleTests.text(response).utf8.count))
    }

    @Test(arguments: [
        ("", "/api/tasks"), ("", "/tasks/not-an-id"), ("", "/tasks/3f2504e0-4f89-41d3-9a0c-0305e82c3301/x"),
        ("", "/console-assets/other.js"), ("/console", "/tasks"), ("/console", "/consoles"),
    ])
    func otherPathsAreLeftToTheHost(prefix: String, path: String) throws {
        let console = try TaskConsole(configuration: .init(prefix: prefix))
        #expect(TaskConsoleTests.get(console, path) == nil)
    }

    @Test func otherMethodsGet405WithAllow() throws {
        let console = try TaskConsole()
        let response = try #require(TaskConsoleTests.get(console, "/tasks", method: "POST"))
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD")
    }

    @Test func configurationTextCannotBreakOutOfThePage() throws {
        let console = try TaskConsole(
            configuration: .init(
                title: "<script>alert(1)</script>",
                createActions: [.init(label: "\"><img src=x onerror=alert(1)>", taskType: "t", path: "/x")]))
        let page = TaskConsoleTests.text(TaskConsoleTests.get(console, "/tasks"))
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("<img"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // The configuration reads back from the attribute as the JSON it was.
        let start = try #require(page.range(of: #"name="taskworks-config" content=""#))
        let end = try #require(page[start.upperBound...].firstIndex(of: "\""))
        let attribute = page[start.upperBound..<end].replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        let settings = try JSONValue(jsonText: attribute)
        #expect(settings["createActions"]?[0]?["label"] == .string("\"><img src=x onerror=alert(1)>"))
        #expect(settings["apiPrefix"] == .string("/api"))
    }

    @Test(arguments: ["console", "/con sole", "/a?b", "/x\"y", String(repeating: "/a", count: 101)])
    func aBadPrefixIsRefusedNamingIt(_ prefix: String) {
        #expect(throws: TaskworksError.self) { try TaskConsole(configuration: .init(prefix: prefix)) }
        #expect(throws: TaskworksError.self) { try TaskConsole(configuration: .init(apiPrefix: prefix)) }
    }

    @Test func thePageLoadsNothingInlineAndNothingFromElsewhere() throws {
        let page = TaskConsoleTests.text(TaskConsoleTests.get(try TaskConsole(), "/tasks"))
        #expect(!page.contains("<script>"))
        #expect(!page.contains("style="))
        #expect(!page.contains("http://") && !page.contains("https://"))
        #expect(page.contains(#"<script src="/console-assets/console-core.js" defer></script>"#))
    }

    @Test func everyFileThePageLoadsIsServed() throws {
        let console = try TaskConsole(configuration: .init(prefix: "/ops"))
        let page = TaskConsoleTests.text(TaskConsoleTests.get(console, "/ops/tasks"))
        let references = page.components(separatedBy: "\"/ops/console-assets/").dropFirst().compactMap {
            $0.split(separator: "\"").first.map { "/ops/console-assets/" + $0 }
        }
        #expect(references.count == TaskConsole.assetFiles.count)
        for path in references {
            #expect(TaskConsoleTests.get(console, path)?.status == 200, "\(path)")
        }
    }
}
