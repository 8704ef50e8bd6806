import Foundation
import Taskworks

extension TaskHTTPRequest {
    /// A request as a well-behaved client sends it: `POST`, `PUT` and `PATCH` carry
    /// `Content-Type: application/json`.
    static func sent(
        method: String, path: String, query: [URLQueryItem] = [], body: [UInt8] = [], caller: Caller?
    ) -> TaskHTTPRequest {
        let headers = ["POST", "PUT", "PATCH"].contains(method) ? ["Content-Type": "application/json"] : [:]
        return TaskHTTPRequest(
            method: method, path: path, query: query, headers: headers, body: body, caller: caller)
    }
}
