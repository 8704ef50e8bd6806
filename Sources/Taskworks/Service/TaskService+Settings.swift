extension TaskService {
    /// The shared settings of this service's store (defaults until someone changes them).
    ///
    /// - Throws: ``TaskworksError/Code/permissionDenied`` when the policy does not allow reading
    ///   them; what the store throws.
    public func settings(as caller: Caller) async throws -> TaskSettings {
        try authorize(.viewSettings, as: caller)
        return try await engine.sharedSettings()
    }

    /// Stores new shared settings; every pool on the store applies them within one poll
    /// interval, this process's pools at once.
    ///
    /// - Returns: The settings as stored.
    /// - Throws: ``TaskworksError/Code/permissionDenied`` when the policy does not allow changing
    ///   them (under the default policy, users may not); ``TaskworksError/Code/invalidInput`` for
    ///   an out-of-range value; ``TaskworksError/Code/unsupported`` when the store keeps no shared
    ///   settings (``TaskSettingsStore``); what the store throws.
    @discardableResult
    public func updateSettings(_ settings: TaskSettings, as caller: Caller) async throws -> TaskSettings {
        try authorize(.changeSettings, as: caller)
        try settings.validate()
        try await engine.saveSharedSettings(settings)
        return settings
    }
}
