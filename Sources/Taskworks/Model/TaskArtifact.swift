/// A file a runner produced for its task: the storage key and the name a user downloads it as.
public struct TaskArtifact: Sendable, Codable, Hashable {
    /// Where the artifact lives in the host's artifact storage.
    public var key: String
    /// The file name shown to users, e.g. `users_export_20261125_101500.csv`.
    public var fileName: String
    /// The media type served with it, e.g. `text/csv; charset=utf-8`.
    public var contentType: String

    /// Makes an artifact reference, checking that both parts are usable.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the key is empty, longer than 512
    ///   bytes or holds control characters, or when the file name is empty, longer than 255
    ///   bytes, or holds a path separator or control character.
    public init(key: String, fileName: String, contentType: String = "application/octet-stream") throws {
        guard !key.isEmpty, key.utf8.count <= 512, !key.unicodeScalars.contains(where: \.isControl)
        else {
            throw TaskworksError.invalidInput(
                "artifact key '\(key.prefix(80))' is not usable: it must be 1–512 bytes with no "
                    + "control characters")
        }
        guard !fileName.isEmpty, fileName.utf8.count <= 255,
            !fileName.contains("/"), !fileName.contains("\\"),
            !fileName.unicodeScalars.contains(where: \.isControl), fileName != ".", fileName != ".."
        else {
            throw TaskworksError.invalidInput(
                "artifact file name '\(fileName.prefix(80))' is not usable: give a plain file name "
                    + "of 1–255 bytes without '/', '\\' or control characters")
        }
        guard !contentType.isEmpty, contentType.utf8.count <= 200,
            !contentType.unicodeScalars.contains(where: \.isControl)
        else {
            throw TaskworksError.invalidInput(
                "content type '\(contentType.prefix(80))' is not usable: give a media type such as 'text/csv'"
            )
        }
        self.key = key
        self.fileName = fileName
        self.contentType = contentType
    }

    private enum CodingKeys: String, CodingKey {
        case key, fileName, contentType
    }

    /// Decodes an artifact; a missing content type reads as `application/octet-stream`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        fileName = try container.decode(String.self, forKey: .fileName)
        contentType =
            try container.decodeIfPresent(String.self, forKey: .contentType) ?? "application/octet-stream"
    }
}

extension Unicode.Scalar {
    fileprivate var isControl: Bool { properties.generalCategory == .control }
}
