import Foundation
import GRDB
import Logging
import Synchronization

/// The database: one writer (a WAL `DatabasePool` on disk, a queue in memory for tests), its
/// migrations, and every domain operation as an async method. Other modules never see GRDB.
public final class AppDatabase: Sendable {
    let writer: any DatabaseWriter
    /// What the last integrity check found (nil: nothing, or not checked yet); `/healthz` reads it.
    let integrityProblem = Mutex<String?>(nil)

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
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
        try await writer.read { db in try Self.migrator.appliedMigrations(db) }
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

extension Database {
    /// Rows from a statement prepared once per connection and reused (no re-parse, no re-authorize).
    func rows(sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }

    func row(sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    /// The user with this id (hot path: every signed-in request).
    func user(id: Int64) throws -> User? {
        try User.fetchOne(cachedStatement(sql: "SELECT * FROM user WHERE id = ?"), arguments: [id])
    }
}

extension AppDatabase {
    /// Tests of the hot pages' queries (issue 20): every SELECT the database runs while `body` runs, each
    /// with SQLite's query plan (`EXPLAIN QUERY PLAN`, one line a step). In-memory databases only — one
    /// connection, so the trace sees every read. Not used by the app.
    public func queryPlansForTesting(during body: () async throws -> Void) async throws -> [String: [String]] {
        let seen = Mutex<[String]>([])
        try await writer.writeWithoutTransaction { db in
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
            try await writer.writeWithoutTransaction { db in db.trace(options: .statement, nil) }
            throw error
        }
        return try await writer.writeWithoutTransaction { db in
            db.trace(options: .statement, nil)
            var plans: [String: [String]] = [:]
            for sql in Set(seen.withLock { $0 }) {
                plans[sql] = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
            }
            return plans
        }
    }
}
