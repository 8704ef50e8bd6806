import Foundation

extension TaskStatistics {
    /// The statistics as the HTTP API's `GET /stats` and the command line's `stats --json` give
    /// them: `start` (ISO 8601), `minutes`, `total` and `byType` series (`created`, `started`,
    /// `succeeded`, `failed`, `queueDepth`, one number per minute), `waitP50Seconds`,
    /// `waitP95Seconds` (`null` when nothing started), `busiestTypes` and `slowestTypes`.
    package var jsonValue: JSONValue {
        func series(_ series: Series) -> JSONValue {
            func numbers(_ values: [Int]) -> JSONValue { .array(values.map { .integer(Int64($0)) }) }
            return .object([
                "created": numbers(series.created), "started": numbers(series.started),
                "succeeded": numbers(series.succeeded), "failed": numbers(series.failed),
                "queueDepth": numbers(series.queueDepth),
            ])
        }
        func seconds(_ value: Duration?) -> JSONValue { value.map { .double($0.timeInterval) } ?? .null }
        return .object([
            "start": .string(start.formatted(.iso8601)), "minutes": .integer(Int64(minutes)),
            "total": series(total), "byType": .object(byType.mapValues(series)),
            "waitP50Seconds": seconds(waitP50), "waitP95Seconds": seconds(waitP95),
            "busiestTypes": .array(busiestTypes.map { .string($0) }),
            "slowestTypes": .array(slowestTypes.map { .string($0) }),
        ])
    }
}
