import Taskworks

/// `POST /users/export`: the plugin's own route, so hosts don't write it. The body is the
/// export's filter (`{"keywords": …, "status": …}`, both optional, nothing else); creating the
/// task needs ``UserExportPlugin/exportPermission`` under a `RoleBasedTaskPolicy` (the service
/// checks it), and the answer is the new task, 201.
enum UserExportRoute {
    static let operation: JSONValue = .object([
        "operationId": .string("exportUsers"),
        "summary": .string("Start a user export (CSV); needs the permission authorization:user:export"),
        "requestBody": .object([
            "required": .bool(true),
            "content": .object([
                "application/json": .object([
                    "schema": .object([
                        "type": .string("object"), "additionalProperties": .bool(false),
                        "properties": .object([
                            "keywords": .object([
                                "type": .array([.string("string"), .string("null")]),
                                "maxLength": .integer(200),
                                "pattern": .string("^[^\\u0000-\\u001F\\u007F-\\u009F]*$"),
                            ]),
                            "status": .object([
                                "enum": .array(UserStatus.allCases.map { .string($0.rawValue) } + [.null])
                            ]),
                        ]),
                    ])
                ])
            ]),
        ]),
        "responses": .object([
            "201": response("The export task", schema: "#/components/schemas/Task"),
            "400": response("A bad filter or an unknown field"),
            "401": response("No caller"),
            "403": response("The caller lacks authorization:user:export"),
            "405": response("Method not allowed"),
            "413": response("Too large"),
            "415": response("Not application/json"),
        ]),
    ])

    static func response(_ description: String, schema: String = "#/components/schemas/Error") -> JSONValue {
        .object([
            "description": .string(description),
            "content": .object([
                "application/json": .object(["schema": .object(["$ref": .string(schema)])])
            ]),
        ])
    }

    static let route = TaskHTTPRoute("POST", "/users/export", openAPI: operation) { request in
        let caller = try request.signedInCaller()
        let fields = try request.jsonObject(allowing: ["keywords", "status"])
        let filter = try UserExportRequest.validated(.object(fields))
        let task = try await request.service.create(
            UserExportPlugin.taskType, payload: filter, createdBy: caller)
        return .task(task, status: 201)
    }
}
