/// Where task artifacts (exported files, reports) are kept. Implement it for S3, a database…;
/// ``LocalDirectoryArtifactStore`` keeps them in a directory.
///
/// ## Contract
/// - ``write(_:_:)`` is **atomic**: until it returns, no reader sees the artifact; if the
///   producing closure throws or its task is cancelled, nothing is left behind.
/// - Writing is streaming: the closure hands over chunks; memory stays flat.
/// - Keys are ``ArtifactKey`` values, made by the framework only.
public protocol ArtifactStore: Sendable {
    /// Stores the bytes `produce` writes under `key`, atomically, and returns their count.
    func write(_ key: ArtifactKey, _ produce: (ArtifactWriter) async throws -> Void) async throws -> Int

    /// The artifact's bytes, in chunks.
    ///
    /// - Throws: ``TaskworksError/Code/artifactNotFound`` when there is none under `key`.
    func read(_ key: ArtifactKey) async throws -> ArtifactChunks

    /// The artifact's size in bytes.
    ///
    /// - Throws: ``TaskworksError/Code/artifactNotFound`` when there is none under `key`.
    func size(of key: ArtifactKey) async throws -> Int

    /// Removes the artifact; removing one that does not exist is not an error.
    func delete(_ key: ArtifactKey) async throws
}

/// An artifact's bytes, read in chunks on demand (constant memory).
public typealias ArtifactChunks = AsyncThrowingStream<[UInt8], any Error>

/// Receives an artifact's bytes while it is being written.
public protocol ArtifactWriter: Sendable {
    /// Appends bytes.
    func write(_ bytes: [UInt8]) async throws
}

extension ArtifactWriter {
    /// Appends the UTF-8 bytes of `text`.
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}
