import Foundation
import Taskworks

/// The OpenAPI document: the one shipped in the package's resources, with the host's security
/// scheme and the plugins' routes merged in, served at `GET {prefix}/openapi.json`.
extension TaskHTTPAPI {
    /// The OpenAPI 3.1 document of Taskworks' own routes (paths relative to
    /// ``Configuration/prefix``), as shipped in the package's resources.
    public static var openAPIDocument: Data {
        get throws {
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
                throw TaskworksError.storageFailure(
                    "the openapi.json resource is missing from the Taskworks bundle")
            }
            return try Data(contentsOf: url)
        }
    }

    /// The document this API serves: ``openAPIDocument`` with ``Configuration/securityScheme``
    /// as its `callerAuth` scheme, the prefix as its server, only the routes this API serves
    /// (`routes`, plus `GET /openapi.json` itself), and each plugin route's
    /// `TaskHTTPRoute/openAPIOperation`.
    static func servedDocument(routes: [TaskHTTPRoute], configuration: Configuration) -> JSONValue {
        let shipped = (try? openAPIDocument).flatMap { data in
            try? JSONParser.parseWhole(Array(data)[...]) { try $0.value() }
        }
        guard case .object(var document)? = shipped, case .object(let shippedPaths)? = document["paths"]
        else {
            return .object(["openapi": .string("3.1.0"), "error": .string("the shipped document is missing")])
        }
        var paths: [String: JSONValue] = [:]
        let served =
            routes.map { ($0.path, $0.method.lowercased(), $0.openAPIOperation) } + [
                ("/openapi.json", "get", nil)
            ]
        for (path, method, ownOperation) in served {
            guard let operation = shippedPaths[path]?[method] ?? ownOperation else { continue }
            var methods: [String: JSONValue] = [:]
            if case .object(let existing)? = paths[path] { methods = existing }
            methods[method] = operation
            paths[path] = .object(methods)
        }
        document["paths"] = .object(paths)
        document["servers"] = .array([.object(["url": .string(configuration.prefix)])])
        if case .object(var components)? = document["components"] {
            components["securitySchemes"] = .object(["callerAuth": configuration.securityScheme])
            document["components"] = .object(components)
        }
        return .object(document)
    }

    static func openAPIRoute(_ document: JSONValue) -> TaskHTTPRoute {
        var bytes: [UInt8] = []
        JSONWriter.appendValue(document, to: &bytes)
        let response = TaskHTTPResponse(
            status: 200, headers: TaskHTTPResponse.jsonHeaders, body: .json(bytes))
        return TaskHTTPRoute("GET", "/openapi.json", allowsAnonymous: true) { _ in response }
    }
}
