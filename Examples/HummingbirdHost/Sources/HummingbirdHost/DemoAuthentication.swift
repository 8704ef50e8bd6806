import Foundation
import HTTPTypes
import Hummingbird
import Taskworks
import TaskworksDemoHostKit

/// **A demo scheme, not authentication**: the caller is whoever the `X-Demo-User` header or the
/// console's demo cookie (`taskworks_demo_user`) names (``DemoHost/caller(named:)``). With
/// `--allow-query-caller` the `as` query item works too (for trying links in a browser); it is
/// off by default, since a caller in a URL leaks through logs and referrers. A real host puts its
/// own sign-in here and maps the signed-in account to a ``Caller`` with its roles.
struct DemoAuthentication: Sendable {
    static let header = HTTPField.Name(DemoHost.userHeader)
    /// Whether `?as=NAME` also names the caller.
    let allowsQueryCaller: Bool

    func caller(of request: Request) -> Caller? {
        var name = DemoAuthentication.header.flatMap { request.headers[$0] }
        if name == nil { name = request.cookies[DemoHost.userCookie]?.value.removingPercentEncoding }
        if name == nil, allowsQueryCaller { name = request.uri.queryParameters["as"].map(String.init) }
        return DemoHost.caller(named: name)
    }
}
