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

    /// Live (not deleted) tasks per (type number, status), overall and per creator number.
    struct CountTable: Sendable {
        static let statuses = TaskStatus.allCases
        static let statusCount = statuses.count
        /// `type * statusCount + status.ordinal`.
        private(set) var overall: [Int] = []
        private(set) var byCreator: [[Int]] = []

        mutating func adjust(type: Int32, creator: Int32, status: TaskStatus, by delta: Int) {
            let position = Int(type) * CountTable.statusCount + status.ordinal
            if overall.count <= position {
                overall.append(contentsOf: repeatElement(0, count: position + 1 - overall.count))
            }
            overall[position] += delta
            let creator = Int(creator)
            if byCreator.count <= creator {
                byCreator.append(contentsOf: repeatElement([], count: creator + 1 - byCreator.count))
            }
            if byCreator[creator].count <= position {
                byCreator[creator].append(
                    contentsOf: repeatElement(0, count: position + 1 - byCreator[creator].count))
            }
            byCreator[creator][position] += delta
        }

        /// Calls `body` with (type number, status, count) for each nonzero count of `creator`
        /// (every creator's when `nil`).
        func forEach(creator: Int32?, _ body: (Int32, TaskStatus, Int) -> Void) {
            let table: [Int]
            if let creator {
                guard Int(creator) < byCreator.count else { return }
                table = byCreator[Int(creator)]
            } else {
                table = overall
            }
            for (position, count) in table.enumerated() where count != 0 {
                body(
                    Int32(position / CountTable.statusCount),
                    CountTable.statuses[position % CountTable.statusCount], count)
            }
        }
    }
}
