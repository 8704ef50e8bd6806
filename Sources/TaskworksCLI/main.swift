import Foundation
import TaskworksCommandLine

// `taskworks`: the operators' command line (`taskworks --help`).
exit(await TaskworksCommand.run(Array(CommandLine.arguments.dropFirst())))
