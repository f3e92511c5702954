import Foundation
import GRDB

/// The store's connection inside one read or one transaction, on SQLite or on PostgreSQL.
///
/// The store is written once against it: the same record types, the same query-interface requests
/// and the same SQL. On SQLite every call goes straight to GRDB. On PostgreSQL GRDB still *builds*
/// the SQL (its query interface and `SQL` literals, compiled against an in-memory copy of the schema
/// by `SQLCompiler`), `PostgresDialect` rewrites the few SQLite-only spellings, and the statement
/// runs on the PostgreSQL connection of the transaction (`PostgresSession`). The API below is the
/// subset of GRDB's the store uses, with the same names, so a store function reads the same on both.
final class StoreConnection {
    enum Backend {
        case sqlite(GRDB.Database)
        case postgres(PostgresSession)
    }

    let backend: Backend

    init(_ backend: Backend) { self.backend = backend }

    /// GRDB's connection when the store runs on SQLite (SQLite-only work: pragmas, backups, plans).
    var sqlite: GRDB.Database? {
        if case .sqlite(let db) = backend { return db }
        return nil
    }

    var isPostgres: Bool { sqlite == nil }

    func execute(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        switch backend {
        case .sqlite(let db): try db.execute(sql: sql, arguments: arguments)
        case .postgres(let pg): try pg.execute(sql: sql, arguments: arguments)
        }
    }

    func execute(literal: SQL) throws {
        switch backend {
        case .sqlite(let db): try db.execute(literal: literal)
        case .postgres(let pg):
            let (sql, arguments) = try pg.compiler.build(literal)
            try pg.execute(sql: sql, arguments: arguments)
        }
    }

    /// Rows from a statement prepared once per connection and reused (no re-parse, no re-authorize).
    func rows(sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        switch backend {
        case .sqlite(let db): return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
        case .postgres(let pg): return try pg.rows(sql: sql, arguments: arguments)
        }
    }

    func row(sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        switch backend {
        case .sqlite(let db): return try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
        case .postgres(let pg): return try pg.rows(sql: sql, arguments: arguments).first
        }
    }

    /// Rows of a joined read (prepared once per connection and reused).
    func rows(_ literal: SQL) throws -> [Row] {
        switch backend {
        case .sqlite(let db): return try SQLRequest<Row>(literal: literal, cached: true).fetchAll(db)
        case .postgres(let pg):
            let (sql, arguments) = try pg.compiler.build(literal)
            return try pg.rows(sql: sql, arguments: arguments)
        }
    }

    func row(_ literal: SQL) throws -> Row? {
        try rows(literal).first
    }

    /// The id of the last row inserted on this connection (PostgreSQL: the `RETURNING` of the
    /// last insert into a table with an `id`).
    var lastInsertedRowID: Int64 {
        switch backend {
        case .sqlite(let db): return db.lastInsertedRowID
        case .postgres(let pg): return pg.lastInsertedRowID
        }
    }

    /// Rows changed by the last statement.
    var changesCount: Int {
        switch backend {
        case .sqlite(let db): return db.changesCount
        case .postgres(let pg): return pg.changesCount
        }
    }

    /// One transaction whose commit does not wait for the disk (an API token's use counted): SQLite's
    /// `synchronous = NORMAL` for this commit alone, PostgreSQL's `synchronous_commit = off`. Called
    /// outside a transaction (`writeWithoutTransaction`). For counters only: on PostgreSQL it is READ
    /// COMMITTED (`PostgresStore.Transaction.counter`), so each statement must be whole on its own.
    func transactionWithoutFlush<T>(_ body: () throws -> T) throws -> T {
        switch backend {
        case .sqlite(let db):
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body()
                return .commit
            }
            guard let result else { throw StoreEngineError(description: "transaction without a result") }
            return result
        case .postgres(let pg):
            // Its own transaction, so its own retries (as `PostgresStore.run` gives every write).
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try pg.transaction(.counter) {
                        try pg.simple("SET LOCAL synchronous_commit = off")
                        return try body()
                    }
                } catch let error as PostgresStatementError
                    where error.isSerializationFailure && attempt < PostgresStore.attempts
                {
                    pg.retrying()
                    usleep(useconds_t(PostgresStore.backOff(attempt) * 1_000))
                }
            }
        }
    }

    /// Rows of a compiled request (PostgreSQL only).
    fileprivate func postgresRows(_ request: some FetchRequest, single: Bool = false) throws -> [Row] {
        guard case .postgres(let pg) = backend else { return [] }
        let (sql, arguments) = try pg.compiler.compile(request, single: single)
        return try pg.rows(sql: sql, arguments: arguments)
    }
}

/// What the PostgreSQL side of the store cannot do (a bug in the store, never the user's input).
struct StoreEngineError: Error, CustomStringConvertible {
    let description: String
}

// MARK: - Fetching

extension Row {
    static func fetchAll(_ db: StoreConnection, _ request: some FetchRequest) throws -> [Row] {
        switch db.backend {
        case .sqlite(let g): return try fetchAll(g, request)
        case .postgres: return try db.postgresRows(request)
        }
    }

    static func fetchOne(_ db: StoreConnection, _ request: some FetchRequest) throws -> Row? {
        switch db.backend {
        case .sqlite(let g): return try fetchOne(g, request)
        case .postgres: return try db.postgresRows(request, single: true).first
        }
    }

    static func fetchAll(
        _ db: StoreConnection, sql: String, arguments: StatementArguments = StatementArguments()
    ) throws -> [Row] {
        switch db.backend {
        case .sqlite(let g): return try fetchAll(g, sql: sql, arguments: arguments)
        case .postgres(let pg): return try pg.rows(sql: sql, arguments: arguments)
        }
    }

    static func fetchOne(
        _ db: StoreConnection, sql: String, arguments: StatementArguments = StatementArguments()
    ) throws -> Row? {
        switch db.backend {
        case .sqlite(let g): return try fetchOne(g, sql: sql, arguments: arguments)
        case .postgres(let pg): return try pg.rows(sql: sql, arguments: arguments).first
        }
    }
}

extension DatabaseValueConvertible {
    fileprivate static func decodeFirst(_ row: Row) throws -> Self? {
        guard let value = row.databaseValues.first else { return nil }
        if value.isNull { return nil }
        guard let decoded = fromDatabaseValue(value) else {
            throw StoreEngineError(description: "cannot read \(value) as \(Self.self)")
        }
        return decoded
    }

    static func fetchAll(
        _ db: StoreConnection, sql: String, arguments: StatementArguments = StatementArguments()
    ) throws -> [Self] {
        switch db.backend {
        case .sqlite(let g): return try fetchAll(g, sql: sql, arguments: arguments)
        case .postgres(let pg): return try pg.rows(sql: sql, arguments: arguments).compactMap(decodeFirst)
        }
    }

    static func fetchOne(
        _ db: StoreConnection, sql: String, arguments: StatementArguments = StatementArguments()
    ) throws -> Self? {
        switch db.backend {
        case .sqlite(let g): return try fetchOne(g, sql: sql, arguments: arguments)
        case .postgres(let pg): return try pg.rows(sql: sql, arguments: arguments).first.flatMap(decodeFirst)
        }
    }

    static func fetchAll(_ db: StoreConnection, _ request: some FetchRequest) throws -> [Self] {
        switch db.backend {
        case .sqlite(let g): return try fetchAll(g, request)
        case .postgres: return try db.postgresRows(request).compactMap(decodeFirst)
        }
    }

    static func fetchOne(_ db: StoreConnection, _ request: some FetchRequest) throws -> Self? {
        switch db.backend {
        case .sqlite(let g): return try fetchOne(g, request)
        case .postgres: return try db.postgresRows(request, single: true).first.flatMap(decodeFirst)
        }
    }

    static func fetchSet(_ db: StoreConnection, _ request: some FetchRequest) throws -> Set<Self> where Self: Hashable {
        Set(try fetchAll(db, request))
    }
}

extension FetchableRecord {
    static func fetchAll(_ db: StoreConnection, _ request: some FetchRequest) throws -> [Self] {
        switch db.backend {
        case .sqlite(let g): return try fetchAll(g, request)
        case .postgres: return try db.postgresRows(request).map { try Self(row: $0) }
        }
    }

    static func fetchOne(_ db: StoreConnection, _ request: some FetchRequest) throws -> Self? {
        switch db.backend {
        case .sqlite(let g): return try fetchOne(g, request)
        case .postgres: return try db.postgresRows(request, single: true).first.map { try Self(row: $0) }
        }
    }

    static func fetchAll(
        _ db: StoreConnection, sql: String, arguments: StatementArguments = StatementArguments()
    ) throws -> [Self] {
        switch db.backend {
        case .sqlite(let g): return try fetchAll(g, sql: sql, arguments: arguments)
        case .postgres(let pg): return try pg.rows(sql: sql, arguments: arguments).map { try Self(row: $0) }
        }
    }

    static func fetchOne(
        _ db: StoreConnection, sql: String, arguments: StatementArguments = StatementArguments()
    ) throws -> Self? {
        switch db.backend {
        case .sqlite(let g): return try fetchOne(g, sql: sql, arguments: arguments)
        case .postgres(let pg): return try pg.rows(sql: sql, arguments: arguments).first.map { try Self(row: $0) }
        }
    }
}

extension FetchableRecord where Self: TableRecord {
    static func fetchAll(_ db: StoreConnection) throws -> [Self] { try all().fetchAll(db) }

    static func fetchOne(_ db: StoreConnection, key: some DatabaseValueConvertible) throws -> Self? {
        try filter(key: key).fetchOne(db)
    }

    static func fetchOne(_ db: StoreConnection, key: [String: (any DatabaseValueConvertible)?]) throws -> Self? {
        try filter(key: key).fetchOne(db)
    }
}

extension FetchRequest where RowDecoder: FetchableRecord {
    func fetchAll(_ db: StoreConnection) throws -> [RowDecoder] {
        switch db.backend {
        case .sqlite(let g): return try fetchAll(g)
        case .postgres: return try db.postgresRows(self).map { try RowDecoder(row: $0) }
        }
    }

    func fetchOne(_ db: StoreConnection) throws -> RowDecoder? {
        switch db.backend {
        case .sqlite(let g): return try fetchOne(g)
        case .postgres: return try db.postgresRows(self, single: true).first.map { try RowDecoder(row: $0) }
        }
    }
}

extension FetchRequest where RowDecoder == Row {
    func fetchAll(_ db: StoreConnection) throws -> [Row] {
        switch db.backend {
        case .sqlite(let g): return try fetchAll(g)
        case .postgres: return try db.postgresRows(self)
        }
    }

    func fetchOne(_ db: StoreConnection) throws -> Row? {
        switch db.backend {
        case .sqlite(let g): return try fetchOne(g)
        case .postgres: return try db.postgresRows(self, single: true).first
        }
    }
}

extension FetchRequest where RowDecoder: DatabaseValueConvertible {
    func fetchAll(_ db: StoreConnection) throws -> [RowDecoder] { try RowDecoder.fetchAll(db, self) }
    func fetchOne(_ db: StoreConnection) throws -> RowDecoder? { try RowDecoder.fetchOne(db, self) }
}

extension FetchRequest {
    func fetchCount(_ db: StoreConnection) throws -> Int {
        switch db.backend {
        case .sqlite(let g): return try fetchCount(g)
        case .postgres(let pg):
            let (sql, arguments) = try pg.compiler.compile(self, single: false)
            let rows = try pg.rows(sql: "SELECT COUNT(*) FROM (\(sql)) AS counted", arguments: arguments)
            return try rows.first.flatMap(Int.decodeFirst) ?? 0
        }
    }

    func isEmpty(_ db: StoreConnection) throws -> Bool { try fetchCount(db) == 0 }
}

extension TableRecord {
    static func fetchCount(_ db: StoreConnection) throws -> Int { try all().fetchCount(db) }

    @discardableResult
    static func deleteAll(_ db: StoreConnection) throws -> Int { try all().deleteAll(db) }

    @discardableResult
    static func deleteOne(_ db: StoreConnection, key: some DatabaseValueConvertible) throws -> Bool {
        try filter(key: key).deleteAll(db) > 0
    }

    static func exists(_ db: StoreConnection, key: some DatabaseValueConvertible) throws -> Bool {
        try filter(key: key).fetchCount(db) > 0
    }
}

// MARK: - Changing rows

/// One `SET column = …` of `updateAll`, for both engines: a value, or the column plus a number
/// (`Columns.version += 1`). The names are GRDB's, so the store's updates read as GRDB's do.
struct Assignment {
    enum Change {
        case value(DatabaseValue)
        case add(Int)
    }
    let column: String
    let change: Change

    var grdb: ColumnAssignment {
        switch change {
        case .value(let value): return Column(column).set(to: value)
        case .add(let n): return Column(column) += n
        }
    }
}

extension ColumnExpression {
    func set(to value: (any DatabaseValueConvertible)?) -> Assignment {
        Assignment(column: name, change: .value(value?.databaseValue ?? .null))
    }

    static func += (column: Self, value: Int) -> Assignment {
        Assignment(column: column.name, change: .add(value))
    }
}

extension QueryInterfaceRequest {
    @discardableResult
    func updateAll(_ db: StoreConnection, _ assignments: Assignment...) throws -> Int {
        try updateAll(db, assignments: assignments)
    }

    @discardableResult
    func updateAll(_ db: StoreConnection, assignments: [Assignment]) throws -> Int {
        switch db.backend {
        case .sqlite(let g): return try updateAll(g, assignments.map(\.grdb))
        case .postgres(let pg):
            let (table, whereClause, whereArguments) = try pg.compiler.filter(of: self)
            var sets: [String] = []
            var arguments: [DatabaseValue] = []
            for assignment in assignments {
                let column = PostgresDialect.quoted(assignment.column)
                switch assignment.change {
                case .value(let value):
                    sets.append("\(column) = ?")
                    arguments.append(value)
                case .add(let n): sets.append("\(column) = \(column) + \(n)")
                }
            }
            try pg.execute(
                sql: "UPDATE \(PostgresDialect.quoted(table)) SET \(sets.joined(separator: ", "))\(whereClause)",
                arguments: StatementArguments(arguments) + whereArguments)
            return pg.changesCount
        }
    }

    @discardableResult
    func deleteAll(_ db: StoreConnection) throws -> Int {
        switch db.backend {
        case .sqlite(let g): return try deleteAll(g)
        case .postgres(let pg):
            let (table, whereClause, whereArguments) = try pg.compiler.filter(of: self)
            try pg.execute(sql: "DELETE FROM \(PostgresDialect.quoted(table))\(whereClause)", arguments: whereArguments)
            return pg.changesCount
        }
    }
}

extension PersistableRecord {
    func insert(_ db: StoreConnection) throws {
        switch db.backend {
        case .sqlite(let g): try insert(g)
        case .postgres(let pg): try pg.insert(Self.databaseTableName, databaseDictionary, onConflict: nil)
        }
    }

    /// Inserts unless a row with the same key or unique value exists (then nothing changes).
    func insertUnlessPresent(_ db: StoreConnection) throws {
        switch db.backend {
        case .sqlite(let g): try insert(g, onConflict: .ignore)
        case .postgres(let pg): try pg.insert(Self.databaseTableName, databaseDictionary, onConflict: .nothing)
        }
    }

    /// Inserts, or on a conflict of the primary key replaces the row's other columns.
    func upsert(_ db: StoreConnection) throws {
        switch db.backend {
        case .sqlite(let g): try upsert(g)
        case .postgres(let pg): try pg.insert(Self.databaseTableName, databaseDictionary, onConflict: .update)
        }
    }

    /// Updates the row with this record's primary key; throws `RecordError.recordNotFound` if none.
    func update(_ db: StoreConnection) throws {
        switch db.backend {
        case .sqlite(let g): try update(g)
        case .postgres(let pg):
            guard try pg.update(Self.databaseTableName, databaseDictionary) > 0 else {
                throw RecordError.recordNotFound(
                    databaseTableName: Self.databaseTableName, key: try primaryKey(pg))
            }
        }
    }

    /// Updates the row with this record's primary key, or inserts it.
    func save(_ db: StoreConnection) throws {
        switch db.backend {
        case .sqlite(let g): try save(g)
        case .postgres(let pg):
            if try pg.update(Self.databaseTableName, databaseDictionary) == 0 { try insert(db) }
        }
    }

    @discardableResult
    func delete(_ db: StoreConnection) throws -> Bool {
        switch db.backend {
        case .sqlite(let g): return try delete(g)
        case .postgres(let pg):
            let key = try primaryKey(pg)
            return try Self.filter(key: key).deleteAll(db) > 0
        }
    }

    private func primaryKey(_ pg: PostgresSession) throws -> [String: DatabaseValue] {
        let values = try databaseDictionary
        let columns = try pg.compiler.primaryKey(Self.databaseTableName)
        return Dictionary(uniqueKeysWithValues: columns.map { ($0, values[$0] ?? .null) })
    }
}
