/// The `--help` text of `taskworks` and of each subcommand.
enum HelpText {
    static let overview = """
        taskworks: operate Taskworks task stores from the shell.

        usage: taskworks SUBCOMMAND [ARGUMENTS] --store STORE [--as NAME] [--role ROLE] [--json]

        subcommands:
          list       list tasks (filters, search, pages)
          show       one task: its record, payload, result or error, attempts and artifact
          counts     tasks per status and per type
          cancel     cancel tasks by id
          retry      retry failed or cancelled tasks by id
          pause      pause pending tasks by id, or a whole type with --type
          resume     resume paused tasks by id, or a whole type with --type
          delete     delete tasks by id (soft delete)
          prune      remove finished tasks older than an age, now
          settings   show or change the settings every pool shares
          tail       print task changes as they happen, from any process
          stats      throughput, queue depth and waits per type over a recent window
          schedules  the schedules with runs in the store; run one now
          verify     check a file store's files without changing them
          migrate    the PostgreSQL schema: status, up, or the SQL for your own tool

        options for every subcommand:
          --store STORE   file:DIRECTORY or postgres://USER:PASSWORD@HOST:PORT/DATABASE
                          (default: the TASKWORKS_STORE environment variable)
          --as NAME       the caller: system (the default), admin:ID, or a user's id
          --role ROLE     a role of the caller (repeatable), for the store's permission policy
          --json          one JSON object per line instead of tables

        exit codes: 0 done; 1 an error (printed as one line), or migrate status: not current;
                    2 a usage error; 3 verify found damage; 4 verify found a torn journal end.

        `taskworks SUBCOMMAND --help` shows each subcommand's options and examples.
        """

    static let subcommands: [String: String] = [
        "list": """
        usage: taskworks list [--status S,…] [--type T,…] [--creator ID] [--search TEXT]
                              [--sort createdDescending|createdAscending|priorityDescending|updatedDescending]
                              [--page N] [--page-size N]

        Lists the tasks the caller sees, 20 a page (--page-size up to 100).
        examples:
          taskworks list --store file:/var/lib/app/tasks --status failed --type user_export
          taskworks list --store file:/var/lib/app/tasks --search smtp --json
        """,
        "show": """
        usage: taskworks show ID

        Shows one task: status, progress, creator, attempts, dates, lease, metadata, payload,
        result or error, artifact.
        example:
          taskworks show 3f2504e0-4f89-41d3-9a0c-0305e82c3301 --store file:/var/lib/app/tasks
        """,
        "counts": """
        usage: taskworks counts

        Tasks per status and per type, over the tasks the caller sees.
        example:
          taskworks counts --store postgres://app@db/app --json
        """,
        "cancel":
            "usage: taskworks cancel ID…\n\nCancels each task; a running one is asked to stop.\nexample:\n  taskworks cancel ID1 ID2 --store file:/var/lib/app/tasks\n",
        "retry":
            "usage: taskworks retry ID…\n\nPuts each failed or cancelled task back to pending with a clean slate.\nexample:\n  taskworks retry ID --store file:/var/lib/app/tasks\n",
        "pause":
            "usage: taskworks pause ID… | --type TYPE\n\nPauses pending tasks (never claimed until resumed), or every task of a type on every host.\nexamples:\n  taskworks pause ID --store file:/var/lib/app/tasks\n  taskworks pause --type charge --store postgres://app@db/app\n",
        "resume":
            "usage: taskworks resume ID… | --type TYPE\n\nResumes paused tasks, or a paused type.\nexample:\n  taskworks resume --type charge --store postgres://app@db/app\n",
        "delete":
            "usage: taskworks delete ID…\n\nSoft-deletes each task (cancelled first if pending or running); it is hidden from every read.\nexample:\n  taskworks delete ID --store file:/var/lib/app/tasks\n",
        "prune": """
        usage: taskworks prune --older-than AGE [--deleted-older-than AGE]

        Removes for good, with their artifacts, finished tasks older than AGE and deleted tasks
        older than the second AGE (default 1d): what a pool's retention does, now. Admins and the
        system only. AGE is a number and a unit: 500ms, 90s, 15m, 12h, 7d.
        example:
          taskworks prune --older-than 30d --store file:/var/lib/app/tasks
        """,
        "settings": """
        usage: taskworks settings
               taskworks settings set max-concurrent-tasks N

        Shows or changes the settings every pool on the store reads within one poll interval.
        example:
          taskworks settings set max-concurrent-tasks 4 --store file:/var/lib/app/tasks
        """,
        "tail": """
        usage: taskworks tail [--type T,…] [--interval 1s] [--count N] [--for DURATION]

        Prints each change to a task the caller sees as it happens, from any process sharing the
        store: time, id, type, status, progress. Reads the store every --interval; stops after
        --count changes or --for a duration, else runs until interrupted. Deleted tasks are not
        shown (they are hidden from every read).
        example:
          taskworks tail --store file:/var/lib/app/tasks --type user_export
        """,
        "verify": """
        usage: taskworks verify --store file:DIRECTORY

        Checks a file store without changing it: copies its files under the store's lock (writers
        wait meanwhile; needs as much free space in the temporary directory as the store takes)
        and opens the copy, which checks every record's length and checksum and that the snapshot
        and its journals agree. Prints the damage with its file, record and byte offset.
        exit codes: 0 intact; 3 damaged (the store will not open: see the guide "Operating
        Taskworks"); 4 a torn record at the journal's end (what a crash leaves; the next open
        drops it, and nothing acknowledged as durable is in it).
        example:
          taskworks verify --store file:/var/lib/app/tasks
        """,
        "migrate": """
        usage: taskworks migrate status|up|sql [--after N] --store postgres://…

        status  whether the schema is current; exit 1 and what to run when it is not
        up      applies the migrations the schema lacks, under the lock every host uses
        sql     prints the SQL of the migrations after --after N (default 0), with the rows
                that record them, to run in one transaction with your own tool; connects to
                nothing (the URL names the schema: ?schema=NAME)
        A command other than migrate never changes the schema. Needs a build with --traits Postgres.
        examples:
          taskworks migrate status --store postgres://app@db/app
          taskworks migrate sql --after 5 --store postgres://app@db/app?schema=jobs > 6-7.sql
        """,
        "stats": """
        usage: taskworks stats [--window 60m]

        Per type and in total, over the last --window (1m to 24h, default 60m): tasks created,
        started, succeeded and failed, started per minute, the queue depth now and at its
        highest, the p50 and p95 wait from creation to start, and the busiest and slowest types.
        --json gives the per-minute series. Counts use each task's latest dates: a task retried
        in the window counts its latest attempt.
        example:
          taskworks stats --store file:/var/lib/app/tasks --window 15m
        """,
        "schedules": """
        usage: taskworks schedules
               taskworks schedules run NAME

        Lists every schedule with a run still in the store: its task type, the last tick any
        scheduler recorded, its newest run and that run's status, and how many runs are stored.
        The definitions (interval, cron, time zone) live in the host's code; `GET /schedules` of
        the host's HTTP API shows them with the next fire time. Needs a caller who may view
        settings (admins and the system).

        `schedules run NAME` starts a run now, as the system: a copy of the newest stored run
        (type, payload, priority, retries, timeout, metadata) with the schedule's unique key,
        so nothing starts while its previous run is pending or running (it says so instead).
        Needs a caller who may run schedules.
        examples:
          taskworks schedules --store file:/var/lib/app/tasks
          taskworks schedules run nightly-report --store postgres://app@db/app --as admin:ops
        """,
    ]
}
