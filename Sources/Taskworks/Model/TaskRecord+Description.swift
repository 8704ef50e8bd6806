import Foundation

extension TaskRecord: CustomStringConvertible {
    /// One line with what tells a task's state apart: id, type, status, attempts, progress, when
    /// it may run, the lease and the version, with dates as RFC 3339 text in milliseconds. The
    /// payload and result are left out (they may be large or private); read them from the record.
    ///
    /// ```text
    /// TaskRecord(id: 0f9d…, type: user_export, status: running, attempts: 2 of 4, progress: 40,
    ///   runAfter: 2026-12-03T18:07:04.120Z, lease: worker-1 until 2026-12-03T18:07:34.130Z, version: 7)
    /// ```
    public var description: String {
        var text = "TaskRecord(id: \(id), type: \(type), status: \(status.rawValue), "
        text += "attempts: \(attempts) of \(maxRetries &+ 1), progress: \(progress), "
        text += "runAfter: \(Self.text(of: runAfter)), "
        if let leaseOwner {
            text += "lease: \(leaseOwner) until \(leaseExpiresAt.map(Self.text(of:)) ?? "unknown"), "
        }
        if cancelRequested { text += "cancel requested, " }
        if let deletedAt { text += "deleted: \(Self.text(of: deletedAt)), " }
        if let errorMessage { text += "error: \(errorMessage.prefix(200).debugDescription), " }
        return text + "version: \(version))"
    }

    private static func text(of date: Date) -> String {
        var bytes: [UInt8] = []
        InternetDateText.append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
