import Foundation
import GRDB
import Logging
import Synchronization

/// The database: SQLite (one writer: a WAL `DatabasePool` on disk, a queue in memory for tests) or
/// PostgreSQL (`PostgresStore`, for several app servers), its migrations, and every domain operation as
/// an async method, written once for both engines (`StoreConnection`). Other modules never see GRDB.
public final class AppDatabase: Sendable {
    let writer: StoreWriter
    /// What the last integrity check found (nil: nothing, or not checked yet); `/healthz` reads it.
    let integrityProblem = Mutex<String?>(nil)
    /// The schema `forTesting` gave this database (PostgreSQL), handed to the next test when this one ends.
    private let testSchemaName = Mutex<String?>(nil)
    var testSchema: String? {
        get { testSchemaName.withLock { $0 } }
        set { testSchemaName.withLock { $0 = newValue } }
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = StoreWriter(.sqlite(writer))
        try Self.migrator.migrate(writer)
    }

    private init(postgres: PostgresStore) {
        self.writer = StoreWriter(.postgres(postgres))
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://user:password@host:5432/db`) and
    /// migrates it (one server at a time: the others wait for it and find nothing left to do).
    public static func connect(
        postgresURL url: String, connections: Int = 8, logLevel: Logger.Level = .info
    ) async throws -> AppDatabase {
        var logger = Logger(label: "paceline.postgres")
        logger.logLevel = logLevel
        let store = try PostgresStore(
            url: url, compiler: try sharedCompiler(), connections: connections, logger: logger)
        let schema = try PostgresStore.schema(url: url)
        try await PostgresSchema.migrate(store, migrator: migrator, schema: schema)
        return AppDatabase(postgres: store)
    }

    /// The SQL builder of every PostgreSQL store of this process (the schema is the same for all).
    private static func sharedCompiler() throws -> SQLCompiler {
        try compiler.withLock { compiler in
            if let compiler { return compiler }
            let made = try SQLCompiler(migrator: migrator)
            compiler = made
            return made
        }
    }

    private static let compiler = Mutex<SQLCompiler?>(nil)

    /// A new empty database for one test: in memory (SQLite), or, when `PACELINE_TEST_DATABASE_URL`
    /// names a PostgreSQL database, a schema of its own there (`make test` runs the store's tests both ways).
    public static func forTesting() async throws -> AppDatabase {
        guard let url = ProcessInfo.processInfo.environment["PACELINE_TEST_DATABASE_URL"], !url.isEmpty else {
            return try inMemory()
        }
        // A schema a finished test left (emptied: every table truncated, identities restarted) costs
        // far less than a new one migrated.
        if let reused = freeTestSchemas.withLock({ $0.popLast() }) {
            let database = try await connect(postgresURL: testURL(url, reused), connections: 3)
            database.testSchema = reused
            try await database.writer.writeWithoutTransaction { db in
                let tables = try (db.tableNames() + ["data_version_slot"]).map(PostgresDialect.quoted)
                    .joined(separator: ", ")
                try db.execute(sql: "TRUNCATE \(tables) RESTART IDENTITY CASCADE")
            }
            return database
        }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let database = try await connect(postgresURL: testURL(url, schema), connections: 3)
        database.testSchema = schema
        return database
    }

    private static func testURL(_ url: String, _ schema: String) -> String {
        url + (url.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    /// Schemas of tests whose database is gone, to be emptied and used again.
    static let freeTestSchemas = Mutex<[String]>([])

    deinit {
        if let schema = testSchema { Self.freeTestSchemas.withLock { $0.append(schema) } }
    }

    /// The database a server or command works on: PostgreSQL when `url` is given, else the SQLite file
    /// at `path`. A URL that is not one, or a server that does not answer, is an `OperationError`.
    public static func open(url: String?, path: String, logLevel: Logger.Level = .info) async throws -> AppDatabase {
        guard let url else { return try open(path: path) }
        do {
            return try await connect(postgresURL: url, logLevel: logLevel)
        } catch StoreError.invalid(let message) {
            throw OperationError(message)
        } catch let error as PostgresStatementError {
            throw OperationError("PostgreSQL refused the migration: \(error)")
        } catch {
            throw OperationError(
                "cannot reach PostgreSQL at \(PostgresStore.redacted(url)): \(PostgresStore.reason(error))")
        }
    }

    /// A database URL without its password.
    public static func redacted(_ url: String) -> String { PostgresStore.redacted(url) }

    /// Which engine holds the data: "sqlite" or "postgresql".
    public var engineName: String { writer.postgres == nil ? "sqlite" : "postgresql" }

    /// PostgreSQL writes retried since start (0 on SQLite, whose one writer never conflicts).
    public var writeRetries: Int { writer.postgres?.retried.load(ordering: .relaxed) ?? 0 }

    /// Closes the PostgreSQL connections (SQLite's close with the object).
    public func close() async {
        await writer.postgres?.close()
    }

    /// How commits reach the disk. `full` is what the server runs; `normal` exists so that
    /// `make bench` can show what durability costs.
    public enum Durability: String, Sendable { case full = "FULL", normal = "NORMAL" }

    /// Opens (creating if needed) the database file at `path` and migrates it.
    public static func open(path: String, durability: Durability = .full) throws -> AppDatabase {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path, configuration: configuration(durability: durability))
        // GRDB switches the pool's writer to WAL *after* `prepareDatabase`, and sets
        // `synchronous = NORMAL` as it does: set it again on the writer, the connection that commits.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(durability.rawValue)") }
        return try AppDatabase(writer: pool)
    }

    /// A private in-memory database, migrated: one per test.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(writer: DatabaseQueue(configuration: configuration()))
    }

    /// Connection settings, in one place: foreign keys (GRDB's default, stated), a busy timeout
    /// so concurrent writers wait rather than fail, WAL (the pool's default), and
    /// `synchronous = FULL`: in WAL mode NORMAL may lose the last commits on power loss, and a
    /// write the server has acknowledged (a saved check-in, an accepted proposal) must stay
    /// written. FULL syncs the WAL at every commit; `make bench` measures what that costs.
    static func configuration(durability: Durability = .full) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        // PACELINE_SQL_PROFILE=1 logs every statement slower than 2 ms to standard error.
        let profile = ProcessInfo.processInfo.environment["PACELINE_SQL_PROFILE"] == "1"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(durability.rawValue)")
            if profile {
                db.trace(options: .profile) { event in
                    if case let .profile(statement, duration) = event, duration > 0.002 {
                        FileHandle.standardError.write(
                            Data(String(format: "slow SQL %.1f ms: %@\n", duration * 1000, statement.sql).utf8))
                    }
                }
            }
        }
        return config
    }

    /// Names of the applied migrations, oldest first.
    public func appliedMigrations() async throws -> [String] {
        let order = Self.migrator.migrations
        return try await writer.read { db in
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            return order.filter(applied.contains)
        }
    }
}

extension AppDatabase {
    /// A `LIKE … ESCAPE '\'` pattern matching text that contains `text` literally (its `%` and `_`
    /// are not wildcards).
    static func containsPattern(_ text: String) -> String {
        "%"
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}

/// Errors the store reports to its callers, in words for the person who caused them.
public enum StoreError: Error, Equatable, Sendable {
    /// No such row in this organization (or at all): the web layer answers 404.
    case notFound
    /// The change would break a rule (a taken email, the last admin…): answer 422 with the message.
    case invalid(String)
    /// Someone else saved the same thing first (optimistic locking): nothing was changed, and
    /// `latest` is the version now stored, for the page to show.
    case versionConflict(latest: Int)
}

extension StoreConnection {
    /// The user with this id (hot path: every signed-in request).
    func user(id: Int64) throws -> User? {
        try row(sql: "SELECT * FROM user WHERE id = ?", arguments: [id]).map { try User(row: $0) }
    }
}

extension AppDatabase {
    /// Tests of the hot pages' queries (issue 20): every SELECT the database runs while `body` runs, each
    /// with SQLite's query plan (`EXPLAIN QUERY PLAN`, one line a step). In-memory databases only — one
    /// connection, so the trace sees every read. Not used by the app.
    public func queryPlansForTesting(during body: () async throws -> Void) async throws -> [String: [String]] {
        let seen = Mutex<[String]>([])
        try await sqliteWriter().writeWithoutTransaction { db in
            db.trace(options: .statement) { event in
                let sql = event.expandedDescription
                if sql.uppercased().hasPrefix("SELECT") || sql.uppercased().hasPrefix("WITH") {
                    seen.withLock { $0.append(sql) }
                }
            }
        }
        do {
            try await body()
        } catch {
            try await sqliteWriter().writeWithoutTransaction { db in db.trace(options: .statement, nil) }
            throw error
        }
        return try await sqliteWriter().writeWithoutTransaction { db in
            db.trace(options: .statement, nil)
            var plans: [String: [String]] = [:]
            for sql in Set(seen.withLock { $0 }) {
                plans[sql] = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
            }
            return plans
        }
    }
}

extension AppDatabase {
    /// GRDB's writer, for what only SQLite has (its backups, integrity pragmas, query plans).
    func sqliteWriter() throws -> any DatabaseWriter {
        guard let sqlite = writer.sqlite else {
            throw StoreError.invalid("this works on SQLite only; on PostgreSQL use its own tools (deploy/README.md)")
        }
        return sqlite
    }
}
