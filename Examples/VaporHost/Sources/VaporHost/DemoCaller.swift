import Foundation
import Taskworks
import TaskworksDemoHostKit
import Vapor

/// **A demo scheme, not authentication**: the caller the `X-Demo-User` header or the console's
/// demo cookie names (``DemoHost/caller(named:)``). A real host uses its own sign-in.
func demoCaller(of request: Request) -> Caller? {
    let name =
        request.headers.first(name: DemoHost.userHeader)
        ?? request.cookies[DemoHost.userCookie]?.string.removingPercentEncoding
    return DemoHost.caller(named: name)
}
