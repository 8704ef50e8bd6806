#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    extension PostgresTaskStore {
        /// Whether `error` means the connection broke (the server restarted or closed it, or a
        /// network failure) rather than that the statement was wrong: such statements are retried.
        static func isConnectionFailure(_ error: any Error) -> Bool {
            if underlying(error) is ConnectionClosedUnderStatement { return true }
            guard let error = underlying(error) as? PSQLError else { return false }
            switch error.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
                return true
            case .server:
                // 08xxx connection exceptions; 57P01–57P03: terminated by an administrator
                // (pg_terminate_backend), crash shutdown, cannot connect now (the server is starting).
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            default:
                return false
            }
        }

        /// The error that failed a transaction (its BEGIN, body or COMMIT), or `error` itself.
        static func underlying(_ error: any Error) -> any Error {
            guard let failed = error as? PostgresTransactionError else { return error }
            return failed.closureError ?? failed.beginError ?? failed.commitError ?? failed.rollbackError
                ?? error
        }

        /// What went wrong, without the statement or its values (which may hold task payloads).
        static func summary(of error: any Error) -> String {
            guard let error = underlying(error) as? PSQLError else { return "\(underlying(error))" }
            if let info = error.serverInfo {
                return "server error \(info[.sqlState] ?? "?"): \(info[.message] ?? "no message")"
            }
            return "\(error.code)"
        }

        /// `error` as the store's typed error.
        static func storeError(_ error: any Error, while what: String, configuration: Configuration)
            -> TaskworksError
        {
            if let error = underlying(error) as? TaskworksError { return error }
            let place = "\(configuration.host):\(configuration.port)"
            if isConnectionFailure(error) {
                return TaskworksError(
                    code: .storageFailure,
                    message:
                        "\(what): lost the connection to PostgreSQL at \(place) and \(configuration.connectionAttempts) "
                        + "tries failed (\(summary(of: error))); check that the server runs and is reachable")
            }
            return TaskworksError(
                code: .storageFailure,
                message: "\(what): PostgreSQL at \(place) refused it (\(summary(of: error)))")
        }
    }
#endif  // Postgres
