#if Tracing
    import Taskworks
    import Tracing

    /// Carries the trace context that is current where a task is created into the task's
    /// `TaskRecord.metadata`, so the attempt that runs it — in this process or another sharing the
    /// store — continues that trace (``TaskTracingMiddleware`` reads it back).
    ///
    /// The keys are whatever the bootstrapped instrument injects: with swift-otel's W3C propagator
    /// they are `traceparent` and `tracestate`. A key that is not a valid metadata key is left out.
    ///
    /// ```swift
    /// var configuration = TaskService.Configuration()
    /// configuration.metadataProviders = [TaskTraceContextPropagation()]
    /// ```
    public struct TaskTraceContextPropagation: TaskMetadataProvider {
        private let instrument: (any Instrument)?

        /// Injects with `instrument`, or with the one `InstrumentationSystem` was bootstrapped with
        /// (read at each create) when `nil`.
        public init(instrument: (any Instrument)? = nil) {
            self.instrument = instrument
        }

        /// The current trace context as metadata entries; none outside a traced context.
        public func metadata(forNewTaskOfType type: String) -> [String: String] {
            guard let context = ServiceContext.current else { return [:] }
            var carrier: [String: String] = [:]
            (instrument ?? InstrumentationSystem.instrument).inject(
                context, into: &carrier, using: MetadataCarrier())
            return carrier.filter { entry in (try? TaskMetadata.validate([entry.key: entry.value])) != nil }
        }
    }

    /// Writes and reads trace context entries in a task's metadata map.
    struct MetadataCarrier: Injector, Extractor {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
            carrier[key] = value
        }

        func extract(key: String, from carrier: [String: String]) -> String? {
            carrier[key]
        }
    }
#endif  // Tracing
