import Foundation
import Taskworks

/// The route handlers that read more than an id: each reads its request, calls the service and
/// answers.
extension TaskHTTPAPI {
    static func list(_ input: TaskHTTPRouteRequest) async throws -> TaskHTTPResponse {
        let request = input.request
        var query = TaskQuery()
        let statuses = request.queryValues("status")
        if !statuses.isEmpty {
            query.statuses = Set(
                try statuses.map { text in
                    guard let status = TaskStatus(rawValue: text) else {
                        throw TaskworksError.invalidQuery(
                            "status '\(text.prefix(40))' is not one of "
                                + TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    return status
                })
        }
        let types = request.queryValues("type")
        if !types.isEmpty { query.types = Set(types) }
        query.search = request.queryValue("search")
        query.createdBy = request.queryValue("createdBy")
        if let text = request.queryValue("sort") {
            guard let sort = TaskSort(rawValue: text) else {
                throw TaskworksError.invalidQuery(
                    "sort '\(text.prefix(40))' is not one of "
                        + TaskSort.allCases.map(\.rawValue).joined(separator: ", "))
            }
            query.sort = sort
        }
        query.page = try integer("page", in: request) ?? 1
        query.pageSize = try integer("pageSize", in: request) ?? TaskQuery.defaultPageSize
        return pageResponse(try await input.service.list(query, as: try input.signedInCaller()))
    }

    static func integer(_ name: String, in request: TaskHTTPRequest) throws -> Int? {
        guard let text = request.queryValue(name) else { return nil }
        guard let value = Int(text) else {
            throw TaskworksError.invalidQuery("\(name) must be a whole number; got '\(text.prefix(40))'")
        }
        return value
    }

    static func create(_ input: TaskHTTPRouteRequest, creatableTypes: Set<String>) async throws
        -> TaskHTTPResponse
    {
        let caller = try input.signedInCaller()
        let fields = try input.jsonObject(allowing: ["type", "payload", "metadata"])
        guard case .string(let type)? = fields["type"] else {
            throw TaskworksError.invalidInput(
                "the request body needs a \"type\" string: {\"type\": …, \"payload\": …}")
        }
        guard creatableTypes.contains(type) else {
            throw TaskHTTPError(
                status: 403, code: "forbidden",
                message:
                    "creating tasks of type '\(type.prefix(100))' over HTTP is not enabled on this server")
        }
        let payload = fields["payload"].flatMap { $0 == .null ? nil : $0 }
        let options = TaskOptions(metadata: try metadata(fields["metadata"]))
        let creation = try await input.service.createReportingDuplicate(
            type, json: payload, options: options, createdBy: caller, onComplete: nil)
        return .task(creation.task, status: 201)
    }

    /// The create body's `metadata`: an object of strings, or absent/`null`.
    static func metadata(_ value: JSONValue?) throws -> [String: String]? {
        guard let value, value != .null else { return nil }
        guard let metadata = value.stringMembers else {
            throw TaskworksError.invalidInput(
                "metadata must be an object whose values are strings: {\"metadata\": {\"key\": \"value\"}}")
        }
        return metadata
    }

    static func download(_ input: TaskHTTPRouteRequest, links: DownloadLinkSigner?) async throws
        -> TaskHTTPResponse
    {
        let id = try input.taskID()
        let service = input.service
        let download: ArtifactDownload
        let request = input.request
        if ["signature", "caller", "expires"].contains(where: { request.queryValue($0) != nil }) {
            guard let links else {
                throw TaskHTTPError(
                    status: 403, code: "forbidden", message: "signed download links are not enabled")
            }
            switch links.verify(input.request, id: id, now: service.clock.now()) {
            case .valid:
                download = try await service.openArtifactForSignedLink(of: id)
            case .invalid:
                throw TaskHTTPError(
                    status: 403, code: "badSignature", message: "the download link is not valid")
            case .expired:
                throw TaskHTTPError(
                    status: 410, code: "linkExpired", message: "the download link expired; ask for a new one")
            }
        } else {
            download = try await service.openArtifact(of: id, as: try input.signedInCaller())
        }
        return TaskHTTPResponse(
            status: 200,
            headers: [
                "Content-Type": download.artifact.contentType, "Content-Length": String(download.size),
                "Content-Disposition": contentDisposition(download.artifact.fileName),
            ],
            body: .stream(download.bytes))
    }

    static func link(_ input: TaskHTTPRouteRequest, signer: DownloadLinkSigner, prefix: String) async throws
        -> TaskHTTPResponse
    {
        let id = try input.taskID()
        let caller = try input.signedInCaller()
        _ = try await input.service.artifact(of: id, as: caller)  // visible, allowed, has an artifact
        let now = input.service.clock.now()
        let query = signer.queryItems(for: id, caller: caller, now: now).map {
            QueryText.encode($0.name) + "=" + QueryText.encode($0.value ?? "")
        }
        let base = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        return .json(
            200,
            .object([
                "url": .string("\(base)/tasks/\(id)/artifact?" + query.joined(separator: "&")),
                "expiresAt": .string(
                    InternetDateText.string(now.addingTimeInterval(signer.lifetime.timeInterval))),
            ]))
    }

    static func runSchedule(_ input: TaskHTTPRouteRequest, scheduler: TaskScheduler) async throws
        -> TaskHTTPResponse
    {
        try input.requireEmptyBody()
        let name = input.parameters["name"] ?? ""
        try input.service.authorize(.runSchedule(name), as: try input.signedInCaller())
        guard scheduler.scheduleNames.contains(name) else {
            throw TaskHTTPError(
                status: 404, code: "scheduleNotFound", message: "no schedule is named '\(name.prefix(100))'")
        }
        let (outcome, task): (String, TaskRecord)
        switch try await scheduler.runNow(name) {
        case .fired(_, _, let fired): (outcome, task) = ("fired", fired)
        case .skipped(_, _, let running): (outcome, task) = ("skipped", running)
        }
        var bytes: [UInt8] = []
        JSONObjectWriter.append(to: &bytes) { object in
            object.string("outcome", outcome)
            object.key("task")
            TaskJSON.append(task, to: &object.bytes)
        }
        return TaskHTTPResponse(status: 200, headers: TaskHTTPResponse.jsonHeaders, body: .json(bytes))
    }

    static func updateSettings(_ input: TaskHTTPRouteRequest) async throws -> TaskHTTPResponse {
        let caller = try input.signedInCaller()
        let fields = try input.jsonObject(allowing: ["maxConcurrentTasks"])
        var settings = try await input.service.settings(as: caller)
        if let value = fields["maxConcurrentTasks"] {
            switch value {
            case .integer(let number) where Int(exactly: number) != nil:
                settings.maxConcurrentTasks = Int(number)
            case .double(let number) where number.rounded() == number && abs(number) <= 1e9:
                settings.maxConcurrentTasks = Int(number)
            default:
                throw TaskworksError.invalidInput("maxConcurrentTasks must be a whole number")
            }
        }
        return .json(200, settingsJSON(try await input.service.updateSettings(settings, as: caller)))
    }

    /// `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987).
    static func contentDisposition(_ fileName: String) -> String {
        let fallback = String(
            fileName.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar != ";"
                    ? Character(scalar) : "_"
            })
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}

/// Query-string text: every byte outside RFC 3986's unreserved set is percent-encoded, so `+`,
/// `&`, `=` and spaces survive hosts that form-decode queries.
enum QueryText {
    static func encode(_ text: String) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
