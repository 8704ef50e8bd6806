#if Postgres
    import Foundation
    import Taskworks
    import TaskworksPostgres

    /// `producer` mode: creates `--n` "job" tasks on the shared schema in batches of `--batch-size`,
    /// each sleeping a random 0 to `--sleep-ms` milliseconds (so that a host's slots free one by
    /// one, not all at once), and exits. The producer host of the partition test (`scripts/partition-test.py`).
    enum ProducerProcess {
        static func run(_ arguments: BenchArguments) async throws {
            guard !arguments.schema.isEmpty else {
                throw TaskworksError.invalidInput("producer needs --schema")
            }
            var configuration = try PostgresTaskStore.Configuration(url: arguments.url)
            configuration.schema = arguments.schema
            configuration.maximumConnections = 2
            let store = try await PostgresTaskStore(configuration: configuration)
            let registry = TaskRegistry()
            try registry.register("job") { _ in ClosureTaskRunner { _ in nil } }
            let service = TaskService(store: store, registry: registry)
            let longest = Int64(arguments.sleepMilliseconds)
            var created = 0
            while created < arguments.n {
                let size = min(arguments.batchSize, arguments.n - created)
                let batch = (0..<size).map { _ in
                    NewTask(
                        "job",
                        json: .object([
                            "sleep_ms": .integer(Int64.random(in: 0...longest)), "return_pid": .bool(true),
                        ]))
                }
                created += try await service.create(batch, createdBy: .system).count
            }
            print("producer: created \(created) tasks")
            await store.close()
        }
    }
#endif  // Postgres
