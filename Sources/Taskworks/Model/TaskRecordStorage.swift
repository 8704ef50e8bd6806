import Foundation

/// The stored fields of a ``TaskRecord``, in one value.
struct TaskRecordFields: Sendable, Codable, Hashable {
    var id: TaskID
    var type: String
    var status: TaskStatus
    var priority: Int
    var payload: JSONValue?
    var result: JSONValue?
    var errorMessage: String?
    var progress: Int
    var createdBy: String
    var artifact: TaskArtifact?
    var attempts: Int
    var maxRetries: Int
    var manualRetries: Int
    var timeoutMilliseconds: Int64?
    var runAfter: Date
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var updatedAt: Date
    var deletedAt: Date?
    var cancelRequested: Bool
    var leaseOwner: String?
    var leaseExpiresAt: Date?
    var version: UInt64
    var uniqueKey: String?
    /// `nil` when empty, so records without metadata encode as before.
    var metadata: [String: String]?
}

/// The heap box that copies of a ``TaskRecord`` share until one of them changes (copy-on-write):
/// a record handed along the claim → run → finish path costs a reference count, not a copy of
/// every field. One allocation holds the fields (a `ManagedBuffer` header), and they are read and
/// written through its header pointer, without dynamic exclusivity checks.
///
/// `@unchecked Sendable` is safe: the fields are written only by ``write(_:)``, which first makes
/// the box referenced by this one value alone (copying it otherwise). Swift's exclusivity rule
/// gives that mutation exclusive access to the value, and no other value references the box, so
/// no other thread can read the fields while they are written; a box that several values share
/// is only ever read. (`ManagedBuffer` itself is not `Sendable`; this wrapper adds no storage.)
struct TaskRecordStorage: @unchecked Sendable {
    private var box: ManagedBuffer<TaskRecordFields, Void>

    init(_ fields: TaskRecordFields) {
        box = ManagedBuffer.create(minimumCapacity: 0) { _ in fields }
    }

    /// Reads one field (or more) in place.
    @inline(__always)
    func read<Value>(_ body: (borrowing TaskRecordFields) -> Value) -> Value {
        box.withUnsafeMutablePointerToHeader { body($0.pointee) }
    }

    /// Changes fields in place, after making the box this value's own if others share it.
    @inline(__always)
    mutating func write(_ body: (inout TaskRecordFields) -> Void) {
        if !isKnownUniquelyReferenced(&box) {
            let fields = fields
            box = ManagedBuffer.create(minimumCapacity: 0) { _ in fields }
        }
        box.withUnsafeMutablePointerToHeader { body(&$0.pointee) }
    }

    /// A copy of every field.
    var fields: TaskRecordFields { box.withUnsafeMutablePointerToHeader { $0.pointee } }

    /// Whether both values share one box (then every field is equal).
    func isShared(with other: TaskRecordStorage) -> Bool { box === other.box }
}
