extension JSONValue {
    /// The member named `key` of an object, or `nil` (no such member, or not an object).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The element at `index` of an array, or `nil` (out of range, or not an array).
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// The string this value holds, or `nil`.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The integer this value holds, or `nil`.
    public var integerValue: Int64? {
        if case .integer(let number) = self { return number }
        return nil
    }

    /// The members of an object whose every member is a string (how task metadata is written),
    /// or `nil` (not an object, or a member is not a string).
    public var stringMembers: [String: String]? {
        guard case .object(let members) = self else { return nil }
        var strings: [String: String] = [:]
        strings.reserveCapacity(members.count)
        for (key, member) in members {
            guard case .string(let text) = member else { return nil }
            strings[key] = text
        }
        return strings
    }
}
