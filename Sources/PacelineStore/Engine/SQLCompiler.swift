import Foundation
import GRDB
import Synchronization

/// GRDB as the SQL builder of the PostgreSQL store: in-memory SQLite databases holding the
/// schema (no rows, no triggers, no foreign keys), on which requests are compiled into SQL and
/// arguments, never run. Several, so that requests on different threads do not queue for one.
final class SQLCompiler: Sendable {
    private let queues: [DatabaseQueue]
    private let turn = Atomic<Int>(0)
    private let keys = Mutex<[String: [String]]>([:])

    init(migrator: DatabaseMigrator, count: Int = 4) throws {
        var queues: [DatabaseQueue] = []
        for _ in 0..<max(1, count) {
            var config = Configuration()
            config.foreignKeysEnabled = false
            let queue = try DatabaseQueue(configuration: config)
            try migrator.migrate(queue)
            try queue.write { db in
                for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'") {
                    try db.execute(sql: "DROP TRIGGER \(name.quotedDatabaseIdentifier)")
                }
            }
            queues.append(queue)
        }
        self.queues = queues
    }

    private func inDatabase<T>(_ body: (GRDB.Database) throws -> T) throws -> T {
        let index = turn.add(1, ordering: .relaxed).newValue
        return try queues[abs(index % queues.count)].inDatabase(body)
    }

    /// The SQL and arguments of a request, as GRDB would run it on SQLite.
    func compile(_ request: some FetchRequest, single: Bool) throws -> (String, StatementArguments) {
        try inDatabase { db in
            let prepared = try request.makePreparedRequest(db, forSingleResult: single)
            guard prepared.adapter == nil else {
                throw StoreEngineError(description: "a request with a row adapter cannot run on PostgreSQL")
            }
            return (prepared.statement.sql, prepared.statement.arguments)
        }
    }

    /// The SQL and arguments of a literal.
    func build(_ literal: SQL) throws -> (String, StatementArguments) {
        try inDatabase { db in try literal.build(db) }
    }

    /// The table and ` WHERE …` of a one-table request, for its `UPDATE` or `DELETE`.
    func filter<T>(of request: QueryInterfaceRequest<T>) throws -> (String, String, StatementArguments) {
        let (sql, arguments) = try compile(request, single: false)
        guard let match = sql.wholeMatch(of: Self.oneTable), !sql.contains(" ORDER BY "), !sql.contains(" LIMIT "),
            !sql.contains(" JOIN ")
        else { throw StoreEngineError(description: "cannot update or delete through \(sql)") }
        return (String(match.1), match.2.map(String.init) ?? "", arguments)
    }

    nonisolated(unsafe) static let oneTable = /SELECT \* FROM "([a-z_0-9]+)"( WHERE .*)?/

    /// The positional values of `arguments`, read back exactly as SQLite binds them.
    func values(of arguments: StatementArguments, count: Int) throws -> [DatabaseValue] {
        if count == 0 {
            guard arguments.isEmpty else { throw StoreEngineError(description: "arguments without parameters") }
            return []
        }
        return try inDatabase { db in
            let sql = "SELECT " + Array(repeating: "?", count: count).joined(separator: ", ")
            guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) else { return [] }
            return Array(row.databaseValues)
        }
    }

    /// A table's primary key columns.
    func primaryKey(_ table: String) throws -> [String] {
        if let known = keys.withLock({ $0[table] }) { return known }
        let columns = try inDatabase { db in try db.primaryKey(table).columns }
        keys.withLock { $0[table] = columns }
        return columns
    }

    /// The schema as SQLite holds it after the migrations up to `version` (PostgreSQL's baseline).
    static func sqliteSchema(migrator: DatabaseMigrator, upTo version: String) throws -> [(type: String, sql: String)] {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue, upTo: version)
        return try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT type, sql FROM sqlite_master
                    WHERE sql IS NOT NULL AND type IN ('table', 'index')
                      AND name NOT IN ('grdb_migrations', 'sqlite_sequence')
                    ORDER BY rowid
                    """
            ).map { ($0["type"], $0["sql"]) }
        }
    }
}
