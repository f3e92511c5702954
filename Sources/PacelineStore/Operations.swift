import Foundation
import GRDB
import PacelineCore
#if canImport(Glibc)
import Glibc
#endif

/// What `/healthz` reports: the database answers, its schema is the one this build expects,
/// and the last integrity check found nothing wrong.
public enum DatabaseHealth: Sendable, Equatable {
    case ok
    case unhealthy(String)
}

/// Operations an operator runs: health, integrity, backup and restore.
extension AppDatabase {
    public func health() async -> DatabaseHealth {
        do {
            let known = Self.migrator.migrations
            let problem: String? = try await writer.read { db in
                guard try Int.fetchOne(db, sql: "SELECT 1") == 1 else { return "database does not answer" }
                let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
                if !applied.isSubset(of: known) { return "schema is newer than this build" }
                if applied.count < known.count { return "schema is older than this build (run paceline migrate)" }
                return nil
            }
            if let problem { return .unhealthy(problem) }
            if let failed = integrityProblem.withLock({ $0 }) { return .unhealthy("integrity check failed: \(failed)") }
            return .ok
        } catch {
            return .unhealthy("database unavailable")
        }
    }

    /// `PRAGMA quick_check` (every page, every index entry against its table; no cross-check of
    /// UNIQUE constraints). The result is kept for `/healthz`. Nil when all is well.
    @discardableResult
    public func checkIntegrity() async throws -> String? {
        // PostgreSQL checks its own pages (data checksums, `pg_amcheck`: deploy/README.md).
        guard let sqlite = writer.sqlite else { return nil }
        let problem = try await sqlite.read { db in try Self.integrityProblem(db, pragma: "quick_check") }
        integrityProblem.withLock { $0 = problem }
        return problem
    }

    static func integrityProblem(_ db: Database, pragma: String) throws -> String? {
        let lines = try String.fetchAll(db, sql: "PRAGMA \(pragma)")
        if lines == ["ok"] { return nil }
        return lines.prefix(5).joined(separator: "; ")
    }

    /// A consistent copy of the database in one file (SQLite's online backup API: it reads one
    /// snapshot, so it is safe while the server writes), checked with `integrity_check` before
    /// it replaces `destination`. Returns the number of rows per table copied.
    public static func backup(databaseAt source: String, to destination: String) throws -> [String: Int] {
        guard FileManager.default.fileExists(atPath: source) else { throw OperationError("no database at \(source)") }
        var readOnly = configuration()
        readOnly.readonly = true
        let reader = try DatabasePool(path: source, configuration: readOnly)
        let temporary = destination + ".partial"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let copy = try DatabaseQueue(path: temporary)
            try reader.backup(to: copy, pagesPerStep: 1024)
            // One self-contained file: no -wal beside it for someone to forget.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            let counts = try check(copy, label: "the backup")
            try copy.close()
            try reader.close()
            try replace(destination, with: temporary)
            return counts
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Puts a backup in place of the database at `path`, refusing while a server holds it.
    ///
    /// The backup is checked first (integrity, and a schema this build knows). A `-wal` and
    /// `-shm` left beside the old database belong to the old file: applied to the restored one
    /// they would corrupt it (missing index rows), so the old file and both are moved aside to
    /// `<path>.replaced-<time>` together, never deleted. The restored database is checked again.
    public static func restore(databaseAt path: String, from backup: String, now: Date = Date()) throws -> [String: Int]
    {
        guard FileManager.default.fileExists(atPath: backup) else { throw OperationError("no backup at \(backup)") }
        let lock = try ServerLock.acquire(databasePath: path, mode: .exclusive)
        defer { lock.release() }
        var readOnly = configuration()
        readOnly.readonly = true
        do {
            let source = try DatabaseQueue(path: backup, configuration: readOnly)
            _ = try check(source, label: "the backup")
            try source.close()
        }
        let temporary = path + ".restoring"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.copyItem(atPath: backup, toPath: temporary)
        let stamp = ISO8601.format(now).replacingOccurrences(of: ":", with: "")
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.moveItem(atPath: path + suffix, toPath: path + ".replaced-\(stamp)" + suffix)
        }
        try replace(path, with: temporary)
        // Read-only: the restored file stays as the backup wrote it until the server opens it.
        let restored = try DatabaseQueue(path: path, configuration: readOnly)
        defer { try? restored.close() }
        return try check(restored, label: "the restored database")
    }

    /// Integrity and schema of a database file; rows per table.
    static func check(_ reader: any DatabaseReader, label: String) throws -> [String: Int] {
        try reader.read { db in
            if let problem = try integrityProblem(db, pragma: "integrity_check") {
                throw OperationError("\(label) is damaged: \(problem)")
            }
            if try migrator.hasBeenSuperseded(db) {
                throw OperationError("\(label) was made by a newer Paceline (unknown migrations); use that version")
            }
            var counts: [String: Int] = [:]
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    AND name NOT LIKE 'grdb_%'
                    """)
            for table in tables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
            }
            return counts
        }
    }

    /// Moves `source` over `destination` in one step (a rename on the same file system).
    private static func replace(_ destination: String, with source: String) throws {
        guard rename(source, destination) == 0 else {
            throw OperationError("could not move \(source) to \(destination): \(String(cString: strerror(errno)))")
        }
    }
}

/// A failed operator command, in words for the operator.
public struct OperationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `<database>.lock`, held with `flock` by a running server: `paceline restore` refuses while
/// it is held, and the kernel lets go of it when the process ends, even on `kill -9`.
public final class ServerLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Servers take it shared (several may read and write one file); restore takes it alone.
    public enum Mode: Sendable { case shared, exclusive }

    public static func acquire(databasePath: String, mode: Mode) throws -> ServerLock {
        let path = databasePath + ".lock"
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OperationError("could not open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, (mode == .shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            close(descriptor)
            throw OperationError(
                mode == .exclusive
                    ? "a Paceline server is using \(databasePath): stop it first"
                    : "\(databasePath) is being restored: start the server when that is done")
        }
        return ServerLock(descriptor: descriptor)
    }

    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
