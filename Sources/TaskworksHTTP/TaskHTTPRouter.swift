import Taskworks

/// Finds the route for a method and path: segments are split at `/` and then percent-decoded
/// once each (so `%2F` stays inside its segment and `%2541` is `%41`, not `A`); of the
/// templates matching the path, the most specific wins (a literal segment beats a parameter),
/// and a method it does not serve is a 405 listing the ones it does. `HEAD` is served wherever
/// `GET` is.
struct TaskHTTPRouter: Sendable {
    enum Match {
        case found(TaskHTTPRoute, parameters: [String: String])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// The routes grouped by template, most specific first.
    private let templates: [[TaskHTTPRoute]]

    init(routes: [TaskHTTPRoute]) {
        var groups: [[String]: [TaskHTTPRoute]] = [:]
        var order: [[String]] = []
        for route in routes {
            let key = route.segments.map { TaskHTTPRoute.isParameter($0) ? "{}" : $0 }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(route)
        }
        templates = order.sorted(by: TaskHTTPRouter.moreSpecific).compactMap { groups[$0] }
    }

    /// Every route, in matching order.
    var routes: [TaskHTTPRoute] { templates.flatMap { $0 } }

    /// Literal segments before parameters, position by position.
    private static func moreSpecific(_ lhs: [String], _ rhs: [String]) -> Bool {
        for (left, right) in zip(lhs, rhs) where (left == "{}") != (right == "{}") {
            return right == "{}"
        }
        return lhs.count < rhs.count || (lhs.count == rhs.count && lhs.lexicographicallyPrecedes(rhs))
    }

    func match(method: String, segments: [String]) -> Match {
        for group in templates {
            guard let template = group.first?.segments, template.count == segments.count,
                zip(template, segments).allSatisfy({ TaskHTTPRoute.isParameter($0) || $0 == $1 })
            else { continue }
            let wanted = method == "HEAD" ? "GET" : method
            guard let route = group.first(where: { $0.method == wanted }) else {
                var allowed = group.map(\.method)
                if allowed.contains("GET") { allowed.append("HEAD") }
                return .methodNotAllowed(allowed: allowed)
            }
            var parameters: [String: String] = [:]
            for (name, value) in zip(template, segments) where TaskHTTPRoute.isParameter(name) {
                parameters[String(name.dropFirst().dropLast())] = value
            }
            return .found(route, parameters: parameters)
        }
        return .notFound
    }

    /// The path's segments under `prefix`, each percent-decoded once; `nil` when the path is not
    /// under the prefix.
    ///
    /// - Throws: `TaskworksError` `invalidInput` (400) for a malformed escape or bytes that are not UTF-8.
    static func segments(of path: String, under prefix: String) throws -> [String]? {
        guard path == prefix || path.hasPrefix(prefix + "/") else { return nil }
        return try path.utf8.dropFirst(prefix.utf8.count).split(separator: UInt8(ascii: "/")).map {
            try percentDecoded($0)
        }
    }

    static func percentDecoded(_ bytes: Substring.UTF8View.SubSequence) throws -> String {
        guard bytes.contains(UInt8(ascii: "%")) else { return String(decoding: bytes, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "%") else {
                decoded.append(byte)
                index = bytes.index(after: index)
                continue
            }
            let high = bytes.index(index, offsetBy: 1, limitedBy: bytes.endIndex)
            let low = high.flatMap { bytes.index($0, offsetBy: 1, limitedBy: bytes.endIndex) }
            guard let high, let low, low < bytes.endIndex, let upper = hexValue(bytes[high]),
                let lower = hexValue(bytes[low])
            else {
                throw TaskworksError.invalidInput(
                    "the path has a malformed percent escape; write %XX with two hex digits")
            }
            decoded.append(upper << 4 | lower)
            index = bytes.index(after: low)
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw TaskworksError.invalidInput("the path's percent escapes are not UTF-8")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
