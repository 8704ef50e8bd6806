/// An artifact opened for download: what to call it, what it is, how big, and its bytes.
public struct ArtifactDownload: Sendable {
    /// The key, file name and content type.
    public var artifact: TaskArtifact
    /// The size in bytes.
    public var size: Int
    /// The bytes, read in chunks as you iterate.
    public var bytes: ArtifactChunks
}
