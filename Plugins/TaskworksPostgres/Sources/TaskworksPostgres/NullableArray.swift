#if Postgres
    import NIOCore
    import PostgresNIO

    /// A one-dimensional PostgreSQL array whose elements may be `NULL`, in the binary array format
    /// (postgres-nio's own array encoding has no way to write a `NULL` element). It binds one column
    /// of a batch, as in `unnest($2::text[], …)`.
    struct NullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>:
        PostgresNonThrowingEncodable,
        Sendable
    where Element: Sendable {
        var elements: [Element?]

        static var psqlType: PostgresDataType { Element.psqlArrayType }
        static var psqlFormat: PostgresFormat { .binary }

        func encode<JSONEncoder: PostgresJSONEncoder>(
            into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
        ) {
            buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)  // dimensions
            buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)  // has NULLs
            buffer.writeInteger(Element.psqlType.rawValue)
            guard !elements.isEmpty else { return }
            // A batch holds at most CombinedWrites.maximumBatch (writes) or
            // PostgresTaskStore.rowsPerInsert (inserts) elements, far inside Int32.
            buffer.writeInteger(Int32(clamping: elements.count), as: Int32.self)
            buffer.writeInteger(1, as: Int32.self)  // lower bound
            for element in elements {
                guard let element else {
                    buffer.writeInteger(-1, as: Int32.self)  // NULL
                    continue
                }
                let lengthIndex = buffer.writerIndex
                buffer.writeInteger(0, as: Int32.self)
                let start = buffer.writerIndex
                element.encode(into: &buffer, context: context)
                buffer.setInteger(
                    Int32(clamping: buffer.writerIndex - start), at: lengthIndex, as: Int32.self)
            }
        }
    }
#endif  // Postgres
