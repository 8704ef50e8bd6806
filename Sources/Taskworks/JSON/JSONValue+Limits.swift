extension JSONValue {
    /// The deepest nesting of arrays and objects a payload or a runner's result may have. Deeper
    /// values are refused at create (and a result that deep fails its attempt), so every stored
    /// value encodes, decodes and is released without deep recursion.
    public static let maximumNestingDepth = 512

    /// Throws ``TaskworksError/Code/invalidInput`` unless this value can be stored and read back
    /// equal by every store: arrays and objects nested at most ``maximumNestingDepth`` deep, and
    /// only finite numbers (JSON has no NaN or infinity). `what` names the value in the message.
    ///
    /// The walk uses its own stack, so even a value nested far too deep is checked safely.
    public func checkStorable(_ what: @autoclosure () -> String) throws {
        switch self {
        case .array, .object, .double: break
        default: return  // nothing to check, and no walk to set up
        }
        var pending: [(value: JSONValue, depth: Int)] = [(self, 0)]
        while let (value, depth) = pending.popLast() {
            switch value {
            case .double(let number) where !number.isFinite:
                throw TaskworksError.invalidInput(
                    "\(what()) holds the number \(number), which JSON cannot represent; give finite numbers only"
                )
            case .array(let items):
                try JSONValue.checkDepth(depth + 1, what)
                pending += items.lazy.map { ($0, depth + 1) }
            case .object(let members):
                try JSONValue.checkDepth(depth + 1, what)
                pending += members.values.lazy.map { ($0, depth + 1) }
            default:
                continue
            }
        }
    }

    private static func checkDepth(_ depth: Int, _ what: () -> String) throws {
        guard depth <= maximumNestingDepth else {
            throw TaskworksError.invalidInput(
                "\(what()) nests arrays and objects more than \(maximumNestingDepth) levels deep; flatten it "
                    + "or store the data elsewhere and pass a reference")
        }
    }
}
