#if Tracing
    import Taskworks
    import Tracing

    /// Attempt middleware that runs every attempt inside a span (kind `consumer`, named after the
    /// task type), continuing the trace that was current when the task was created
    /// (``TaskTraceContextPropagation`` put it in the task's metadata).
    ///
    /// Attributes: `taskworks.task.id`, `taskworks.task.type`, `taskworks.task.attempt` (1 for the
    /// first), `taskworks.worker.id` and, when the attempt ends, `taskworks.task.outcome`
    /// (`succeeded`, `failed` or `cancelled`). A thrown error is recorded on the span and sets its
    /// status to error.
    ///
    /// ```swift
    /// var pool = WorkerPool.Configuration(concurrency: 4)
    /// pool.middleware = [TaskTracingMiddleware()]
    /// ```
    public struct TaskTracingMiddleware: TaskAttemptMiddleware {
        /// How an attempt's span relates to the span that created the task.
        public enum CreatorRelation: Sendable {
            /// The attempt's span is a child of the creator's span, in the creator's trace: one trace
            /// shows the request and every attempt it caused. The default.
            case parent
            /// The attempt's span starts its own trace (or continues the worker's current one) and
            /// links to the creator's span: for tasks that run long after, or are many per request,
            /// where one trace per request would grow without end.
            case link
        }

        private let tracer: (any Tracer)?
        private let relation: CreatorRelation

        /// Traces with `tracer`, or with the one `InstrumentationSystem` was bootstrapped with (read
        /// at each attempt) when `nil`.
        public init(tracer: (any Tracer)? = nil, relation: CreatorRelation = .parent) {
            self.tracer = tracer
            self.relation = relation
        }

        /// Runs the attempt inside its span.
        public func run(
            _ task: TaskRecord, context: TaskContext,
            next: (TaskContext) async throws -> (any Encodable & Sendable)?
        ) async throws -> (any Encodable & Sendable)? {
            let tracer = self.tracer ?? InstrumentationSystem.tracer
            var creator = ServiceContext.topLevel
            let carried = task.metadata
            if !carried.isEmpty { tracer.extract(carried, into: &creator, using: MetadataCarrier()) }
            let parent = relation == .parent ? creator : (ServiceContext.current ?? .topLevel)
            let span = tracer.startAnySpan(task.type, context: parent, ofKind: .consumer)
            defer { span.end() }
            if relation == .link, !carried.isEmpty {
                span.addLink(SpanLink(context: creator, attributes: [:]))
            }
            span.attributes["taskworks.task.id"] = task.id.description
            span.attributes["taskworks.task.type"] = task.type
            span.attributes["taskworks.task.attempt"] = task.attempts
            if let worker = task.leaseOwner { span.attributes["taskworks.worker.id"] = worker }
            do {
                let result = try await ServiceContext.$current.withValue(span.context) {
                    try await next(context)
                }
                span.attributes["taskworks.task.outcome"] = "succeeded"
                return result
            } catch {
                let cancelled = error is CancellationError || context.isCancelled
                span.attributes["taskworks.task.outcome"] = cancelled ? "cancelled" : "failed"
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
                throw error
            }
        }
    }
#endif  // Tracing
