import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An ``ArtifactStore`` that keeps each artifact as one file (mode 0600) in a directory
/// (mode 0700), named by its ``ArtifactKey`` — which the framework makes, so no caller-supplied
/// text ever becomes a path.
///
/// A write goes to a temporary file (`<key>.partial`), is `fsync`ed and renamed into place, so a
/// reader sees the whole artifact or none; a producer that throws or is cancelled leaves no file.
/// Writes are buffered in 64 KiB chunks written on the calling task: each is a copy into the page
/// cache, cheaper than a hand-off to another thread.
///
/// ```swift
/// let artifacts = try LocalDirectoryArtifactStore(directory: "/var/lib/myapp/artifacts")
/// let service = TaskService(store: store, registry: registry, artifacts: artifacts)
/// ```
public final class LocalDirectoryArtifactStore: ArtifactStore {
    /// The directory holding the artifacts.
    public let directory: String
    static let chunkSize = 64 * 1024

    /// Opens the store, creating the directory (mode 0700) when `createDirectory` is `true`.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the directory is missing (and not to
    ///   be created) or is a file; ``TaskworksError/Code/storageFailure`` when it cannot be made
    ///   or is not writable.
    public init(directory: String, createDirectory: Bool = true) throws {
        try PosixFile.prepareDirectory(
            directory, create: createDirectory, role: "artifact",
            missingAdvice: "create it (mode 0700) or pass createDirectory: true")
        self.directory = directory
    }

    /// The file holding the artifact stored under `key`.
    public func path(for key: ArtifactKey) -> String {
        directory + "/" + key.rawValue
    }

    /// Streams `produce`'s bytes into a temporary file, then `fsync`s and renames it into place.
    public func write(_ key: ArtifactKey, _ produce: (ArtifactWriter) async throws -> Void) async throws
        -> Int
    {
        let temporaryPath = path(for: key) + ".partial"
        let file = try PosixFile.opening(temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
        let writer = BufferedFileWriter(file: file)
        do {
            try await produce(writer)
            try Task.checkCancellation()
            let size = try writer.finish()
            try file.sync()
            file.closeFile()
            guard rename(temporaryPath, path(for: key)) == 0 else {
                throw PosixFile.failure("rename", temporaryPath)
            }
            try PosixFile.syncDirectory(directory)
            return size
        } catch {
            file.closeFile()
            unlink(temporaryPath)
            throw error
        }
    }

    /// Reads the artifact in 64 KiB chunks, on demand.
    public func read(_ key: ArtifactKey) async throws -> ArtifactChunks {
        let reader = try ChunkReader(file: open(key))
        return ArtifactChunks(unfolding: { try reader.next() })
    }

    /// The artifact's size in bytes.
    public func size(of key: ArtifactKey) async throws -> Int {
        let file = try open(key)
        defer { file.closeFile() }
        return try file.size()
    }

    /// Removes the artifact's file.
    public func delete(_ key: ArtifactKey) async throws {
        if unlink(path(for: key)) != 0 && errno != ENOENT {
            throw PosixFile.failure("remove", path(for: key))
        }
    }

    private func open(_ key: ArtifactKey) throws -> PosixFile {
        guard FileManager.default.fileExists(atPath: path(for: key)) else {
            throw TaskworksError(
                code: .artifactNotFound, message: "no artifact is stored under \(key)", path: path(for: key))
        }
        return try PosixFile.opening(path(for: key), flags: O_RDONLY)
    }
}

/// Collects writes into 64 KiB chunks before they reach the file.
private final class BufferedFileWriter: ArtifactWriter {
    private let file: PosixFile
    private let state = LockedState((buffer: [UInt8](), written: 0))

    init(file: PosixFile) {
        self.file = file
    }

    func write(_ bytes: [UInt8]) async throws {
        let full = state.withLock { state -> [UInt8]? in
            state.buffer += bytes
            guard state.buffer.count >= LocalDirectoryArtifactStore.chunkSize else { return nil }
            defer { state.buffer.removeAll(keepingCapacity: true) }
            state.written += state.buffer.count
            return state.buffer
        }
        if let full { try file.append(full) }
    }

    /// Writes what is left and returns the total size.
    func finish() throws -> Int {
        let (rest, total) = state.withLock { state -> ([UInt8], Int) in
            defer { state.buffer.removeAll() }
            state.written += state.buffer.count
            return (state.buffer, state.written)
        }
        try file.append(rest)
        return total
    }
}

/// Reads a file front to back in chunks; closes it when done or when dropped.
private final class ChunkReader: Sendable {
    private let file: PosixFile
    private let offset = LockedState(0)

    init(file: PosixFile) {
        self.file = file
    }

    deinit {
        file.closeFile()
    }

    func next() throws -> [UInt8]? {
        let start = offset.withLock { $0 }
        let chunk = try file.read(from: start, upTo: LocalDirectoryArtifactStore.chunkSize)
        guard !chunk.isEmpty else { return nil }
        offset.withLock { $0 += chunk.count }
        return chunk
    }
}
