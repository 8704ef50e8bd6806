#if Logging
    import Logging
    import Taskworks

    extension TaskDiagnostics {
        /// A sink that logs each diagnostic through `logger` at the matching level, its metadata
        /// (`component`, `task.id`, `worker.id`, `store.path`, …) as the log record's metadata.
        ///
        /// ```swift
        /// var configuration = TaskService.Configuration()
        /// configuration.diagnostics = TaskDiagnostics(logger: Logger(label: "taskworks"))
        /// ```
        public init(logger: Logger, repeatInterval: Duration = .seconds(10)) {
            self.init(repeatInterval: repeatInterval) { diagnostic in
                logger.log(
                    level: Logger.Level(diagnostic.level), "\(diagnostic.message)",
                    metadata: diagnostic.metadata.mapValues { .string($0) })
            }
        }
    }

    extension Logger {
        /// A handler for `TaskService.Configuration.runnerLogHandler` that logs runners'
        /// `context.log` lines through this logger, with `task.id`, `task.type`, `task.attempt` and
        /// the runner's own keys as metadata.
        ///
        /// ```swift
        /// configuration.runnerLogHandler = Logger(label: "tasks").taskLogHandler
        /// ```
        public var taskLogHandler: TaskLogHandler {
            let logger = self
            return { record in
                logger.log(
                    level: Logger.Level(record.level), "\(record.message)",
                    metadata: record.metadata.mapValues { .string($0) })
            }
        }
    }

    extension Logger.Level {
        /// The swift-log level of a Taskworks level (the names match: debug, info, notice, warning,
        /// error).
        public init(_ level: TaskLogLevel) {
            switch level {
            case .debug: self = .debug
            case .info: self = .info
            case .notice: self = .notice
            case .warning: self = .warning
            case .error: self = .error
            }
        }
    }
#endif  // Logging
