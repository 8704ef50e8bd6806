import Foundation
import Taskworks
import TaskworksHTTP

/// `--workload http`: `GET /tasks` answered by ``TaskHTTPAPI`` in-process (no sockets), over a
/// store holding `--n` tasks (at least 1,000) with a small payload each. Reports requests per
/// second for pages of 10, 20 and 100 (routing, the query and the JSON included), then one line
/// with the microseconds one task takes to serialise alone (``TaskHTTPResponse/task(_:status:)``).
extension Workload {
    struct ExportPayload: Codable, Sendable {
        var user = "alice@example.com"
        var rows = 4_096
    }

    static func http(_ options: BenchOptions) async throws -> [JSONLine] {
        let (service, store) = try await noopService(options)
        let count = max(options.n ?? 1_000, 1_000)
        for index in 0..<count {
            try await service.create(
                "noop", payload: ExportPayload(),
                createdBy: index.isMultiple(of: 2) ? .user("alice") : .user("bob"))
        }
        let api = TaskHTTPAPI(service: service)
        var lines: [JSONLine] = []
        for pageSize in [10, 20, 100] {
            let request = TaskHTTPRequest(
                method: "GET", path: "/api/tasks",
                query: [URLQueryItem(name: "pageSize", value: String(pageSize))], caller: .admin("root"))
            let requests = pageSize == 100 ? 4_000 : 20_000
            var bytes = 0
            for _ in 0..<200 { _ = await api.handle(request) }  // warm up
            let start = ContinuousClock.now
            for _ in 0..<requests {
                let response = await api.handle(request)
                if case .json(let body) = response.body { bytes += body.count }
            }
            let seconds = (ContinuousClock.now - start).microseconds / 1e6
            var line = JSONLine()
            line["workload"] = .string("http")
            line["page_size"] = .integer(Int64(pageSize))
            line["tasks_in_store"] = .integer(Int64(count))
            line["requests"] = .integer(Int64(requests))
            line["requests_per_second"] = .double((Double(requests) / seconds).rounded())
            line["microseconds_per_task"] = .double(
                (seconds / Double(requests) / Double(pageSize) * 1_000_000 * 100).rounded() / 100)
            line["bytes_per_response"] = .integer(Int64(bytes / requests))
            lines.append(line)
        }
        let records = try await service.list(TaskQuery(pageSize: 100), as: .admin("root")).items
        let rounds = 2_000
        var bytes = 0
        let start = ContinuousClock.now
        for _ in 0..<rounds {
            for record in records {
                if case .json(let body) = TaskHTTPResponse.task(record).body { bytes += body.count }
            }
        }
        let seconds = (ContinuousClock.now - start).microseconds / 1e6
        var line = JSONLine()
        line["workload"] = .string("http-serialise")
        line["tasks_serialised"] = .integer(Int64(rounds * records.count))
        line["microseconds_per_task"] = .double(
            (seconds / Double(rounds * records.count) * 1_000_000 * 1000).rounded() / 1000)
        line["bytes_per_task"] = .integer(Int64(bytes / (rounds * records.count)))
        lines.append(line)
        _ = store
        return lines
    }
}
