#if os(Linux)
    import Foundation
    import Glibc
    import Synchronization

    /// The write end of the relay's pipe, read by ``relaySignal(_:)``; -1 until the relay starts.
    /// A global so that the C handler, which can capture nothing, can reach it.
    private let relayWriteEnd = Atomic<Int32>(-1)

    /// The C signal handler: writes the signal's number to the relay's pipe and does nothing else.
    /// `write(2)` is async-signal-safe, the pipe never blocks (it is non-blocking and a byte per
    /// signal cannot fill it), and `errno` is put back as it was.
    private func relaySignal(_ number: Int32) {
        let descriptor = relayWriteEnd.load(ordering: .acquiring)
        guard descriptor >= 0 else { return }
        let savedErrno = errno
        var byte = UInt8(truncatingIfNeeded: number)
        _ = write(descriptor, &byte, 1)
        errno = savedErrno
    }

    /// Hands SIGTERM, SIGINT and the like to Swift code on Linux, where a Dispatch signal source
    /// may miss a signal: Dispatch registers its source asynchronously and reads a `signalfd`
    /// that only sees signals still pending, while any thread that does not block the signal (the
    /// main thread does not) can take it first.
    ///
    /// Here a C handler installed with `sigaction` takes the signal on whichever thread the kernel
    /// picks and writes its number to a pipe; a thread of the relay's own, blocked in `read(2)` on
    /// the pipe, calls the listeners. A byte in a pipe waits until it is read, so no signal is
    /// missed however late the reader runs. The handler is installed for a signal while anyone
    /// listens to it, and the disposition that was there before is put back when the last
    /// listener leaves.
    final class SignalRelay: Sendable {
        /// The one relay of the process: a signal's disposition is process-wide.
        static let shared = SignalRelay()

        private struct Listener: Sendable {
            let signals: Set<Int32>
            let handler: @Sendable (Int32) -> Void
        }

        private struct State: Sendable {
            var isReading = false
            var listeners: [UInt64: Listener] = [:]
            var nextID: UInt64 = 0
            /// The disposition each relayed signal had before the relay took it over.
            var previousHandlers: [Int32: sigaction] = [:]
        }

        private let state = LockedState(State())

        private init() {}

        /// Calls `handler` (on the relay's thread) for every one of `signals` the process receives
        /// until ``stopListening(_:)`` is called with the returned id.
        ///
        /// - Throws: ``TaskworksError/Code/invalidInput`` for a signal no handler can catch
        ///   (SIGKILL, SIGSTOP, a bad number); ``TaskworksError/Code/storageFailure`` when the
        ///   process cannot open the relay's pipe (out of file descriptors).
        func listen(to signals: [Int32], _ handler: @escaping @Sendable (Int32) -> Void) throws -> UInt64 {
            try startReading()
            return try state.withLock { state -> UInt64 in
                state.nextID += 1
                let id = state.nextID
                state.listeners[id] = Listener(signals: Set(signals), handler: handler)
                for number in Set(signals) where state.previousHandlers[number] == nil {
                    var action = sigaction()
                    action.__sigaction_handler.sa_handler = relaySignal
                    action.sa_flags = SA_RESTART
                    sigemptyset(&action.sa_mask)
                    var previous = sigaction()
                    guard sigaction(number, &action, &previous) == 0 else {
                        let failure = TaskworksError.invalidInput(
                            "cannot handle signal \(number): \(String(cString: strerror(errno))); "
                                + "pass signals a process can catch, such as SIGTERM and SIGINT")
                        state.listeners[id] = nil
                        restoreUnused(&state)
                        throw failure
                    }
                    state.previousHandlers[number] = previous
                }
                return id
            }
        }

        /// Stops calling the handler registered under `id`; signals nobody listens to any more get
        /// their earlier disposition back.
        func stopListening(_ id: UInt64) {
            state.withLock { state in
                state.listeners[id] = nil
                restoreUnused(&state)
            }
        }

        private func restoreUnused(_ state: inout State) {
            let listened = state.listeners.values.reduce(into: Set<Int32>()) { $0.formUnion($1.signals) }
            for (number, previous) in state.previousHandlers where !listened.contains(number) {
                var previous = previous
                _ = sigaction(number, &previous, nil)
                state.previousHandlers[number] = nil
            }
        }

        /// Opens the pipe and starts the thread that reads it, once per process.
        private func startReading() throws {
            try state.withLock { state in
                guard !state.isReading else { return }
                var ends: [Int32] = [-1, -1]
                guard pipe(&ends) == 0 else {
                    throw TaskworksError.storageFailure(
                        "could not open the pipe that relays signals: \(String(cString: strerror(errno))); "
                            + "raise the process's file descriptor limit")
                }
                let (readEnd, writeEnd) = (ends[0], ends[1])
                _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
                relayWriteEnd.store(writeEnd, ordering: .releasing)
                let reader = Thread { [self] in relay(from: readEnd) }
                reader.name = "taskworks.signal-relay"
                reader.start()
                state.isReading = true
            }
        }

        /// Reads signal numbers from the pipe for the life of the process and calls their listeners.
        private func relay(from readEnd: Int32) {
            var bytes = [UInt8](repeating: 0, count: 64)
            while true {
                let count = bytes.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return }  // the pipe cannot close or fail while the process runs
                for byte in bytes[..<count] {
                    let number = Int32(byte)
                    let handlers = state.withLock { state in
                        state.listeners.values.filter { $0.signals.contains(number) }.map(\.handler)
                    }
                    for handler in handlers { handler(number) }
                }
            }
        }
    }
#endif
