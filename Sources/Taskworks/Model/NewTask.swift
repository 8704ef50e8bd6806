/// One task of a batch for ``TaskService/create(_:createdBy:)``: its type, payload and options,
/// as a single ``TaskService/create(_:payload:options:createdBy:onComplete:)`` takes them.
///
/// ```swift
/// let batch = try users.map { try NewTask("send_welcome", payload: Welcome(userID: $0.id)) }
/// let created = try await service.create(batch, createdBy: .system)
/// ```
public struct NewTask: Sendable {
    /// A type name registered in the service's registry.
    public var type: String
    /// The payload as stored, or `nil` for none.
    public var payload: JSONValue?
    /// Retries, priority, timeout, start date and unique key; unset values come from the type's
    /// defaults.
    public var options: TaskOptions

    /// A task with a payload.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the payload cannot be encoded as JSON.
    public init(_ type: String, payload: some Encodable & Sendable, options: TaskOptions = TaskOptions())
        throws
    {
        self.init(type, json: try JSONValue(encoding: payload), options: options)
    }

    /// A task without a payload.
    public init(_ type: String, options: TaskOptions = TaskOptions()) {
        self.init(type, json: nil, options: options)
    }

    /// A task whose payload is already JSON (`nil` for none).
    public init(_ type: String, json: JSONValue?, options: TaskOptions = TaskOptions()) {
        self.type = type
        self.payload = json
        self.options = options
    }
}
