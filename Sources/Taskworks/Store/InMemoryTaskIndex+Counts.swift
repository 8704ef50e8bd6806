/// Small numbers for the type names and creators the index has seen, and the live-task counts
/// per (type, status) kept in flat arrays under those numbers: a write adjusts its counts with
/// array arithmetic, never a hash of a string.
extension InMemoryTaskIndex {
    /// Interns strings as dense numbers 0, 1, 2, …; a number is never reused.
    struct Interner: Sendable {
        private(set) var names: [String] = []
        private var numbers: [String: Int32] = [:]
        /// The last name asked for: tasks come in runs of one type and one creator, and comparing
        /// a short string is cheaper than hashing it.
        private var last: (name: String, number: Int32)?

        /// The number of `name`, given it one if it had none.
        mutating func number(of name: String) -> Int32 {
            if let last, last.name == name { return last.number }
            let number: Int32
            if let known = numbers[name] {
                number = known
            } else {
                number = Int32(names.count)
                names.append(name)
                numbers[name] = number
            }
            last = (name, number)
            return number
        }

        /// The number of `name`, or `nil` when it was never interned.
        func existingNumber(of name: String) -> Int32? { numbers[name] }
    }

    /// Live (not deleted) tasks per (type number, status), overall and per creator number, in
    /// two flat arrays: an adjustment is two additions (the tables grow, doubling, only when a
    /// new type or creator number shows up).
    struct CountTable: Sendable {
        static let statuses = TaskStatus.allCases
        static let statusCount = statuses.count
        /// How many type numbers (and creator numbers) the tables have room for.
        private var typeCapacity = 0
        private var creatorCapacity = 0
        /// `type * statusCount + status.ordinal`.
        private var overall: [Int] = []
        /// `(creator * typeCapacity + type) * statusCount + status.ordinal`.
        private var byCreator: [Int] = []

        mutating func adjust(type: Int32, creator: Int32, status: TaskStatus, by delta: Int) {
            let type = Int(type)
            let creator = Int(creator)
            if type >= typeCapacity || creator >= creatorCapacity { grow(toHoldType: type, creator: creator) }
            let position = type * CountTable.statusCount + status.ordinal
            overall[position] += delta
            byCreator[creator * typeCapacity * CountTable.statusCount + position] += delta
        }

        private mutating func grow(toHoldType type: Int, creator: Int) {
            let newTypes = type < typeCapacity ? typeCapacity : max(typeCapacity * 2, type + 1, 4)
            let newCreators =
                creator < creatorCapacity ? creatorCapacity : max(creatorCapacity * 2, creator + 1, 4)
            let width = CountTable.statusCount
            var grownOverall = [Int](repeating: 0, count: newTypes * width)
            grownOverall.replaceSubrange(0..<overall.count, with: overall)
            var grownByCreator = [Int](repeating: 0, count: newCreators * newTypes * width)
            for row in 0..<creatorCapacity {
                let old = row * typeCapacity * width
                let new = row * newTypes * width
                grownByCreator.replaceSubrange(
                    new..<new + typeCapacity * width, with: byCreator[old..<old + typeCapacity * width])
            }
            overall = grownOverall
            byCreator = grownByCreator
            typeCapacity = newTypes
            creatorCapacity = newCreators
        }

        /// Calls `body` with (type number, status, count) for each nonzero count of `creator`
        /// (every creator's when `nil`).
        func forEach(creator: Int32?, _ body: (Int32, TaskStatus, Int) -> Void) {
            let table: ArraySlice<Int>
            if let creator {
                guard Int(creator) < creatorCapacity else { return }
                let start = Int(creator) * typeCapacity * CountTable.statusCount
                table = byCreator[start..<start + typeCapacity * CountTable.statusCount]
            } else {
                table = overall[...]
            }
            for (offset, count) in table.enumerated() where count != 0 {
                body(
                    Int32(offset / CountTable.statusCount),
                    CountTable.statuses[offset % CountTable.statusCount], count)
            }
        }
    }
}
