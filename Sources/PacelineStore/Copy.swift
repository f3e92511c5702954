import Foundation
import GRDB

/// Moving between engines: every row of every table copied from one database to an empty one (SQLite
/// to PostgreSQL when a platform outgrows one machine, and back), ids kept — links, exported calendars
/// and API clients keep working — then checked row for row.
extension AppDatabase {
    /// Rows per table copied into `target`, which must be at the same migration and hold no rows.
    public func copyAll(to target: AppDatabase, batch: Int = 500) async throws -> [String: Int] {
        guard try await appliedMigrations() == target.appliedMigrations() else {
            throw OperationError("the two databases are at different migrations: run paceline migrate on both first")
        }
        let tables = try await tablesInDependencyOrder()
        let counts = try await target.writer.read { db in
            try tables.map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(PostgresDialect.quoted($0))") ?? 0 }
        }
        if let full = zip(tables, counts).first(where: { $0.1 > 0 }) {
            throw OperationError("the target is not empty (\(full.0) has \(full.1) rows): copy into a new database")
        }
        var copied: [String: Int] = [:]
        for table in tables {
            let columns = try await writer.read { db in try db.columnNames(of: table) }
            let key = try await writer.read { db in try db.primaryKeyColumns(of: table) }
            let order = key.map(PostgresDialect.quoted).joined(separator: ", ")
            let names = columns.map(PostgresDialect.quoted).joined(separator: ", ")
            let insert =
                "INSERT INTO \(PostgresDialect.quoted(table)) (\(names)) VALUES ("
                + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            var offset = 0
            while true {
                let start = offset
                let select = "SELECT \(names) FROM \(PostgresDialect.quoted(table)) ORDER BY \(order) LIMIT ? OFFSET ?"
                let rows = try await writer.read { db in
                    try Row.fetchAll(
                        db, sql: select, arguments: [batch, start]
                    ).map { row in columns.map { row[$0] as DatabaseValue } }
                }
                if rows.isEmpty { break }
                try await target.writer.write { db in
                    for values in rows { try db.execute(sql: insert, arguments: StatementArguments(values)) }
                }
                offset += rows.count
            }
            copied[table] = offset
        }
        // The rows' triggers raised the target's data versions: the source's are the organizations' own.
        let versions = try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT o.id, \(db.dataVersion(of: "o")) AS version FROM organization o").map {
                ($0["id"] as Int64, $0["version"] as Int64)
            }
        }
        try await target.writer.write { db in
            for (id, version) in versions { try db.setDataVersion(version, orgId: id) }
            try db.resetIdentities(tables)
        }
        return copied
    }

    /// Tables whose rows differ between the two databases (empty: the same, row for row), with the
    /// first difference of each.
    public func differences(from other: AppDatabase) async throws -> [String: String] {
        var out: [String: String] = [:]
        for table in try await tablesInDependencyOrder() {
            let mine = try await rowsAsText(table)
            let theirs = try await other.rowsAsText(table)
            if mine.count != theirs.count {
                out[table] = "\(mine.count) rows here, \(theirs.count) there"
            } else if let index = mine.indices.first(where: { mine[$0] != theirs[$0] }) {
                out[table] = "row \(index + 1): \(mine[index]) ≠ \(theirs[index])"
            }
        }
        return out
    }

    /// Every row of a table in primary key order, each value in a form both engines give alike.
    func rowsAsText(_ table: String) async throws -> [String] {
        try await writer.read { db in
            let columns = try db.columnNames(of: table)
            let order = try db.primaryKeyColumns(of: table).map(PostgresDialect.quoted).joined(separator: ", ")
            // An organization's data version as the engine counts it (on PostgreSQL not its column alone).
            let version = table == "organization" ? ", \(db.dataVersion(of: "t")) AS current_version" : ""
            return try Row.fetchAll(
                db, sql: "SELECT t.*\(version) FROM \(PostgresDialect.quoted(table)) t ORDER BY \(order)"
            ).map { row in
                columns.map { column in
                    let value: DatabaseValue = version.isEmpty || column != "data_version"
                        ? row[column] : row["current_version"]
                    return "\(column)=\(value.description)"
                }.joined(separator: " ")
            }
        }
    }

    /// The tables, each after those its foreign keys point to (SQLite's schema, which both share).
    func tablesInDependencyOrder() async throws -> [String] {
        let tables = try await writer.read { db in try db.tableNames() }
        let references = try Self.foreignKeys()
        var ordered: [String] = []
        var placed = Set<String>()
        var remaining = tables
        while !remaining.isEmpty {
            let ready = remaining.filter { table in
                (references[table] ?? []).allSatisfy { $0 == table || placed.contains($0) || !tables.contains($0) }
            }
            guard !ready.isEmpty else { throw OperationError("foreign keys form a cycle: \(remaining)") }
            ordered += ready
            placed.formUnion(ready)
            remaining.removeAll { placed.contains($0) }
        }
        return ordered
    }

    /// Each table's referenced tables, from the migrations' SQLite schema.
    static func foreignKeys() throws -> [String: Set<String>] {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        return try queue.read { db in
            var out: [String: Set<String>] = [:]
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            for table in tables {
                out[table] = Set(try db.foreignKeys(on: table).map(\.destinationTable))
            }
            return out
        }
    }
}

extension StoreConnection {
    /// PostgreSQL: identity columns continue after the ids a copy wrote (SQLite's rowids always do).
    func resetIdentities(_ tables: [String]) throws {
        guard case .postgres(let pg) = backend else { return }
        for table in tables where try pg.compiler.primaryKey(table) == ["id"] {
            let name = PostgresDialect.quoted(table)
            try pg.simple(
                """
                SELECT setval(pg_get_serial_sequence('\(name)', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL)
                FROM \(name)
                """)
        }
    }
}
