import Foundation
import Taskworks

/// Makes and checks signed, expiring artifact download links: the link carries the task id,
/// the caller it was issued to, an expiry, and an HMAC-SHA256 over the three, so it can be
/// shared (an e-mail, a browser download) without a session, and cannot be altered or reused
/// after it expires.
///
/// ```swift
/// let signer = try DownloadLinkSigner(secret: Array(secretFromEnvironment.utf8), lifetime: .seconds(600))
/// let api = TaskHTTPAPI(service: service, configuration: .init(downloadLinks: signer))
/// ```
public struct DownloadLinkSigner: Sendable {
    private let secret: [UInt8]
    /// How long a link stays valid.
    public let lifetime: Duration

    /// Makes a signer.
    ///
    /// - Throws: `TaskworksError/Code/invalidInput` when the secret is shorter than 32 bytes or
    ///   the lifetime is not positive.
    public init(secret: [UInt8], lifetime: Duration = .seconds(600)) throws {
        guard secret.count >= 32 else {
            throw TaskworksError.invalidInput(
                "a download link secret needs at least 32 random bytes; got \(secret.count)")
        }
        guard lifetime > .zero else {
            throw TaskworksError.invalidInput("a download link lifetime must be positive")
        }
        self.secret = secret
        self.lifetime = lifetime
    }

    /// The query items that sign a link to `id`'s artifact for `caller`, valid until `now + lifetime`.
    func queryItems(for id: TaskID, caller: Caller, now: Date) -> [URLQueryItem] {
        let expires = Int64((now.timeIntervalSince1970 + lifetime.timeInterval).rounded(.down))
        let who = DownloadLinkSigner.encode(caller)
        return [
            URLQueryItem(name: "caller", value: who), URLQueryItem(name: "expires", value: String(expires)),
            URLQueryItem(name: "signature", value: signature(id: id, caller: who, expires: expires)),
        ]
    }

    enum Verdict: Equatable {
        case valid(Caller)
        case invalid
        case expired
    }

    /// Checks a link's query items for `id`.
    func verify(_ request: TaskHTTPRequest, id: TaskID, now: Date) -> Verdict {
        guard let who = request.queryValue("caller"), let expiresText = request.queryValue("expires"),
            let expires = Int64(expiresText), let given = request.queryValue("signature"),
            let caller = DownloadLinkSigner.decode(who)
        else { return .invalid }
        let expected = signature(id: id, caller: who, expires: expires)
        guard HMACSHA256.constantTimeEqual(Array(given.utf8), Array(expected.utf8)) else { return .invalid }
        return Double(expires) < now.timeIntervalSince1970 ? .expired : .valid(caller)
    }

    private func signature(id: TaskID, caller: String, expires: Int64) -> String {
        LowercaseHex.encode(
            HMACSHA256.authenticationCode(for: Array("\(id)\n\(caller)\n\(expires)".utf8), key: secret))
    }

    private static func encode(_ caller: Caller) -> String {
        switch caller.kind {
        case .admin: "admin:\(caller.creatorID)"
        case .user: "user:\(caller.creatorID)"
        case .system: "system"
        }
    }

    private static func decode(_ text: String) -> Caller? {
        if text == "system" { return .system }
        if text.hasPrefix("admin:") { return .admin(String(text.dropFirst(6))) }
        if text.hasPrefix("user:") { return .user(String(text.dropFirst(5))) }
        return nil
    }
}
