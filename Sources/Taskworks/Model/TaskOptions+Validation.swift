import Foundation

extension TaskOptions {
    /// Checks `runAfter`, `delay` and `uniqueKey` against their documented ranges at `now`.
    func checkScheduling(now: Date) throws {
        if runAfter != nil && delay != nil {
            throw TaskworksError.invalidInput("give runAfter or delay, not both")
        }
        if let delay, delay < .zero || delay > TaskOptions.maximumDelay {
            throw TaskworksError.invalidInput(
                "delay must be between 0 and \(TaskOptions.maximumDelay) (100 years); got \(delay)")
        }
        if let runAfter {
            let latest = now.addingTimeInterval(TaskOptions.maximumDelay.timeInterval)
            guard runAfter.timeIntervalSinceReferenceDate.isFinite, runAfter <= latest else {
                throw TaskworksError.invalidInput(
                    "runAfter must be a finite date at most 100 years from now (\(latest)); got "
                        + "\(runAfter.timeIntervalSinceReferenceDate) seconds since 2001-01-01")
            }
        }
        if let key = uniqueKey {
            guard !key.isEmpty, key.utf8.count <= 200,
                !key.containsControlCharacters
            else {
                throw TaskworksError.invalidInput(
                    "uniqueKey '\(key.prefix(80))' is not usable: give 1–200 bytes without control characters"
                )
            }
        }
    }
}
