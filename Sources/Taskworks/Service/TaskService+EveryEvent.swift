extension TaskService {
    /// Every task's events, with no caller and so no visibility filter: for the HTTP API's event
    /// journal in this package, which filters per caller itself. Keeps the newest `bufferSize`
    /// events when the reader falls behind.
    package func everyEvent(bufferSize: Int) -> AsyncStream<TaskEvent> {
        engine.events.subscribe(creator: nil, bufferSize: bufferSize)
    }
}
