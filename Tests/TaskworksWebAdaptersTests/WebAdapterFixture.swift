import Foundation
import Taskworks
import TaskworksHTTP

/// A task that returns its payload.
struct Echo: TaskDefinition {
    typealias Result = Echo
    static let taskType = "noop"
    var n: Int
}

/// What both adapters' tests serve: a memory store with a `noop` type callers may create, and a
/// demo sign-in where the `X-User` header names the caller (`admin` sees everything).
enum WebAdapterFixture {
    static func mount(prefix: String = TaskHTTPMount.defaultPrefix, maximumBodySize: Int = 1 << 20) throws
        -> TaskHTTPMount
    {
        let registry = TaskRegistry()
        try registry.register(Echo.self) { echo, _ in echo }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)
        return try TaskHTTPMount(
            service: service, prefix: prefix,
            api: .init(creatableTypes: ["noop"], maximumBodySize: maximumBodySize))
    }

    static func caller(named name: String?) -> Caller? {
        switch name {
        case nil: nil
        case "admin"?: .admin("admin")
        case let name?: .user(name)
        }
    }

    static let createBody = #"{"type":"noop","payload":{"n":1}}"#
}
