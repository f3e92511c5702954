import Foundation
import GRDB
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The PostgreSQL store: a pool of connections, each transaction run by the store's synchronous
/// code on a thread of its own (as GRDB runs SQLite's), its statements sent with postgres-nio.
///
/// Writes are `SERIALIZABLE` transactions, retried from the start when PostgreSQL reports a
/// serialization failure or deadlock: the outcome is always that of some one-at-a-time order, the
/// guarantee SQLite's single writer gives, so every invariant of the store (version checks, one
/// proposal per fingerprint, the last admin…) holds with many app servers on one database.
/// Reads are `REPEATABLE READ READ ONLY` snapshots, as a SQLite WAL reader sees.
final class PostgresStore: Sendable {
    let compiler: SQLCompiler
    private let pool: PostgresPool
    let logger: Logger
    /// Writes tried again since start (a serialization failure, deadlock or unique violation): the
    /// measure of contention between concurrent writes.
    let retried = Atomic<Int>(0)

    init(url: String, compiler: SQLCompiler, connections: Int = 8, logger: Logger) throws {
        let configuration = try Self.configuration(url: url)
        self.logger = logger
        self.compiler = compiler
        // postgres-nio's own log (every statement at debug) stays at info and above: the store's debug
        // lines (a write retried) are the ones an operator turning on debug wants to read.
        var driverLogger = logger
        driverLogger.logLevel = max(logger.logLevel, .info)
        self.pool = PostgresPool(
            configuration: configuration, schema: try Self.schema(url: url), limit: connections,
            logger: driverLogger)
    }

    /// `?schema=name`: the store's tables in that schema (created if missing) rather than `public` —
    /// several stores in one database (each test has its own).
    static func schema(url: String) throws -> String? {
        guard let name = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "schema" })?.value else {
            return nil
        }
        guard name.wholeMatch(of: /[a-z_][a-z_0-9]{0,62}/) != nil else {
            throw StoreError.invalid("the schema in PACELINE_DATABASE_URL must be lower-case letters, digits and _")
        }
        return name
    }

    /// `postgres://user:password@host:port/database` (also `postgresql://`), or a Unix socket
    /// directory as `host`: `postgres://user@/database?host=/var/run/postgresql`. No TLS: the database
    /// is on the app servers' private network (see deploy/README.md).
    static func configuration(url: String) throws -> PostgresConnection.Configuration {
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else { throw StoreError.invalid("PACELINE_DATABASE_URL must look like postgres://user:password@host:5432/db") }
        let user = components.user?.removingPercentEncoding ?? "postgres"
        let password = components.password?.removingPercentEncoding
        let database = String(components.path.dropFirst()).removingPercentEncoding
        let socketHost = components.queryItems?.first { $0.name == "host" }?.value
        if let socketHost, socketHost.hasPrefix("/") {
            let port = components.port ?? 5432
            return .init(
                unixSocketPath: "\(socketHost)/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.invalid("PACELINE_DATABASE_URL has no host")
        }
        return .init(
            host: host, port: components.port ?? 5432, username: user, password: password, database: database,
            tls: .disable)
    }

    /// What went wrong connecting, in words (postgres-nio's errors describe themselves generically, so
    /// as not to leak a query's values; a connection's failure has none).
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        return "\(error.code)" + (error.underlying.map { " (\($0))" } ?? "")
    }

    /// The URL without its password, for messages and logs.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(not a URL)" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "(not a URL)"
    }

    enum Transaction {
        case read, write, none
        /// A write whose statements are each whole on their own (a counter's `SET n = n + 1 … RETURNING`):
        /// READ COMMITTED, where concurrent ones queue on the row's lock instead of all but one being
        /// cancelled, as SERIALIZABLE would cancel them.
        case counter
    }

    /// Runs `body` in a transaction on one connection; a write is retried (at most 25 times) when
    /// PostgreSQL could not serialize it.
    func run<T: Sendable>(
        _ kind: Transaction, _ body: @Sendable @escaping (StoreConnection) throws -> T
    )
        async throws -> T
    {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try await pool.lease()
            do {
                let result = try await Self.onThread { [compiler, pool] in
                    let session = PostgresSession(connection: connection, compiler: compiler, logger: pool.logger) {
                        self.retried.add(1, ordering: .relaxed)
                    }
                    return try session.transaction(kind) { try body(StoreConnection(.postgres(session))) }
                }
                await pool.release(connection)
                return result
            } catch let error as PostgresStatementError {
                await pool.release(connection)
                // A unique violation too: SQLite's single writer never lets a check-then-insert (a day's
                // check-in) meet a concurrent insert; here the retry sees the committed row, as SQLite would.
                if kind == .write, error.isSerializationFailure || error.isUniqueViolation, attempt < Self.attempts {
                    retried.add(1, ordering: .relaxed)
                    logger.debug(
                        "write retried",
                        metadata: [
                            "attempt": "\(attempt)", "sqlstate": "\(error.sqlState)", "reason": "\(error.message)",
                            "statement": "\(error.statement.prefix(120))",
                        ])
                    try await Task.sleep(for: .milliseconds(Self.backOff(attempt)))
                    continue
                }
                throw error
            } catch {
                await pool.release(connection)
                throw error
            }
        }
    }

    /// Tries of a write that PostgreSQL could not serialize, and the wait before the next: random, up to
    /// a doubling ceiling (2, 4 … 250 ms), so transactions that collided do not collide again in step.
    /// Under heavy contention (tests running side by side) PostgreSQL's conflict detection also cancels
    /// some transactions that did not strictly conflict; they succeed on a later try.
    static let attempts = 25

    static func backOff(_ attempt: Int) -> Int {
        Int.random(in: 1...min(250, 1 << min(attempt, 8)))
    }

    /// Blocking work off the concurrency pool's threads (the sessions wait on the event loop).
    private static func onThread<T: Sendable>(_ work: @Sendable @escaping () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    func close() async { await pool.close() }
}

/// A fixed number of connections, opened as needed, handed out one transaction at a time. A
/// connection found closed (the server restarted, the network dropped) is replaced.
actor PostgresPool {
    private let configuration: PostgresConnection.Configuration
    private let schema: String?
    private let limit: Int
    let logger: Logger
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextId = 0
    private var waiters: [CheckedContinuation<PostgresConnection, any Error>] = []

    init(configuration: PostgresConnection.Configuration, schema: String?, limit: Int, logger: Logger) {
        self.configuration = configuration
        self.schema = schema
        self.limit = max(1, limit)
        self.logger = logger
    }

    func lease() async throws -> PostgresConnection {
        while let connection = idle.popLast() {
            if !connection.isClosed { return connection }
            open -= 1
        }
        if open < limit {
            open += 1
            do {
                return try await connect()
            } catch {
                open -= 1
                throw error
            }
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    func release(_ connection: PostgresConnection) {
        if connection.isClosed {
            open -= 1
            if !waiters.isEmpty {
                let waiter = waiters.removeFirst()
                open += 1
                Task {
                    do {
                        waiter.resume(returning: try await self.connect())
                    } catch {
                        self.lost()
                        waiter.resume(throwing: error)
                    }
                }
            }
            return
        }
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }

    private func lost() { open -= 1 }

    private func connect() async throws -> PostgresConnection {
        nextId += 1
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: nextId, logger: logger
        ).get()
        do {
            // Dates are text (GRDB's format), but `now()` and friends should read UTC all the same.
            // The schema is created by the migration (under its lock), not here: connections race.
            _ = try await connection.query(PostgresQuery(unsafeSQL: "SET TIME ZONE 'UTC'"), logger: logger).get()
            if let schema {
                _ = try await connection.query(
                    PostgresQuery(unsafeSQL: "SET search_path TO \(schema), public"), logger: logger
                ).get()
            }
        } catch {
            try? await connection.close()
            throw error
        }
        return connection
    }

    func close() async {
        for connection in idle { try? await connection.close() }
        idle.removeAll()
    }

    deinit {
        for connection in idle {
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }
}

/// One transaction's statements on one PostgreSQL connection, run synchronously (the calling thread
/// waits for each answer, as GRDB's SQLite calls do).
final class PostgresSession {
    let connection: PostgresConnection
    let compiler: SQLCompiler
    let logger: Logger
    private(set) var lastInsertedRowID: Int64 = 0
    private(set) var changesCount = 0
    /// Counts a transaction tried again (`PostgresStore.retried`).
    let retrying: @Sendable () -> Void

    init(
        connection: PostgresConnection, compiler: SQLCompiler, logger: Logger,
        retrying: @escaping @Sendable () -> Void
    ) {
        self.connection = connection
        self.compiler = compiler
        self.logger = logger
        self.retrying = retrying
    }

    func transaction<T>(_ kind: PostgresStore.Transaction, _ body: () throws -> T) throws -> T {
        switch kind {
        case .none: return try body()
        case .read: try simple("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        case .write: try simple("BEGIN ISOLATION LEVEL SERIALIZABLE")
        case .counter: try simple("BEGIN ISOLATION LEVEL READ COMMITTED")
        }
        do {
            let result = try body()
            try simple("COMMIT")
            return result
        } catch {
            try? simple("ROLLBACK")
            throw error
        }
    }

    /// A statement without parameters, or several separated by `;` (sent one by one: postgres-nio
    /// speaks the extended protocol only).
    func simple(_ sql: String) throws {
        for statement in PostgresDialect.statements(sql) {
            _ = try send(PostgresQuery(unsafeSQL: statement))
        }
    }

    private func send(_ query: PostgresQuery) throws -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: logger).wait()
        } catch let error as PSQLError {
            throw PostgresStatementError(
                sqlState: error.serverInfo?[.sqlState] ?? "", message: error.serverInfo?[.message] ?? "\(error.code)",
                statement: query.sql)
        }
    }

    func rows(sql: String, arguments: StatementArguments) throws -> [Row] {
        let (text, count) = PostgresDialect.translate(sql)
        let values = try compiler.values(of: arguments, count: count)
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            if value.isNull {
                bindings.appendNull()
            } else {
                bindings.append(UntypedValue(value: value))
            }
        }
        let result = try send(PostgresQuery(unsafeSQL: text, binds: bindings))
        changesCount = result.metadata.rows ?? 0
        return try result.rows.map(Self.row)
    }

    func execute(sql: String, arguments: StatementArguments) throws {
        let (text, count) = PostgresDialect.translate(sql)
        if count == 0, arguments.isEmpty, text.contains(";") {
            try simple(text)
            return
        }
        if let table = text.prefixMatch(of: Self.insertInto).map({ String($0.1) }),
            !text.localizedCaseInsensitiveContains("RETURNING"), try compiler.primaryKey(table) == ["id"]
        {
            let rows = try self.rows(sql: sql + " RETURNING id", arguments: arguments)
            if let id = rows.first?["id"] as Int64? { lastInsertedRowID = id }
            return
        }
        _ = try rows(sql: sql, arguments: arguments)
    }

    enum Conflict { case update, nothing }

    /// The table of an `INSERT` (made once: a regex literal is parsed again each time it is evaluated).
    nonisolated(unsafe) static let insertInto = /\s*(?i:INSERT INTO) "?([a-z_0-9]+)"?/

    /// `INSERT` of a record's columns; an `id` left nil is the identity's next value, read back.
    func insert(_ table: String, _ values: [String: DatabaseValue], onConflict: Conflict?) throws {
        let key = try compiler.primaryKey(table)
        var values = values
        let identity = key == ["id"]
        if identity, values["id"]?.isNull ?? true { values["id"] = nil }
        let columns = values.keys.sorted()
        let names = columns.map(PostgresDialect.quoted).joined(separator: ", ")
        var sql =
            "INSERT INTO \(PostgresDialect.quoted(table)) (\(names))"
            + " VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        if onConflict == .nothing {
            sql += " ON CONFLICT DO NOTHING"
        } else if onConflict == .update {
            let others = columns.filter { !key.contains($0) }
            let target = key.map(PostgresDialect.quoted).joined(separator: ", ")
            sql +=
                others.isEmpty
                ? " ON CONFLICT (\(target)) DO NOTHING"
                : " ON CONFLICT (\(target)) DO UPDATE SET "
                    + others.map { "\(PostgresDialect.quoted($0)) = EXCLUDED.\(PostgresDialect.quoted($0))" }
                    .joined(separator: ", ")
        }
        if identity { sql += " RETURNING id" }
        let rows = try self.rows(sql: sql, arguments: StatementArguments(columns.map { values[$0] ?? .null }))
        if identity, let id = rows.first?["id"] as Int64? { lastInsertedRowID = id }
    }

    /// `UPDATE` of a record's columns by its primary key; the number of rows changed.
    func update(_ table: String, _ values: [String: DatabaseValue]) throws -> Int {
        let key = try compiler.primaryKey(table)
        let columns = values.keys.filter { !key.contains($0) }.sorted()
        guard !columns.isEmpty else { return 0 }
        let sql =
            "UPDATE \(PostgresDialect.quoted(table)) SET "
            + columns.map { "\(PostgresDialect.quoted($0)) = ?" }.joined(separator: ", ")
            + " WHERE " + key.map { "\(PostgresDialect.quoted($0)) = ?" }.joined(separator: " AND ")
        let arguments = columns.map { values[$0] ?? .null } + key.map { values[$0] ?? .null }
        _ = try rows(sql: sql, arguments: StatementArguments(arguments))
        return changesCount
    }

    /// A PostgreSQL row as a GRDB row (a column named twice keeps its first value, as SQLite's
    /// lookup by name finds the leftmost).
    static func row(_ row: PostgresRow) throws -> Row {
        var values: [String: (any DatabaseValueConvertible)?] = [:]
        for cell in row where values[cell.columnName] == nil {
            values[cell.columnName] = try value(cell)
        }
        return Row(values)
    }

    static func value(_ cell: PostgresCell) throws -> DatabaseValue {
        guard var bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .bool: return (try cell.decode(Bool.self) ? 1 : 0).databaseValue
        case .int2, .int4, .int8: return try cell.decode(Int64.self).databaseValue
        case .float4, .float8: return try cell.decode(Double.self).databaseValue
        case .numeric:
            let decimal = try cell.decode(Decimal.self)
            let double = NSDecimalNumber(decimal: decimal).doubleValue
            if decimal == decimal.rounded(), abs(double) < 9e18 { return Int64(double).databaseValue }
            return double.databaseValue
        case .bytea: return Data(bytes.readableBytesView).databaseValue
        default:
            if cell.format == .binary, cell.dataType == .int8 { return try cell.decode(Int64.self).databaseValue }
            return (bytes.readString(length: bytes.readableBytes) ?? "").databaseValue
        }
    }
}

extension Decimal {
    fileprivate func rounded() -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, 0, .plain)
        return result
    }
}

/// What PostgreSQL refused, with the statement (never shown to users: the web layer logs it and
/// answers 500). Its SQLSTATE tells a serialization failure (retried) from the rest.
struct PostgresStatementError: Error, CustomStringConvertible {
    let sqlState: String
    let message: String
    let statement: String

    var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }
    var isUniqueViolation: Bool { sqlState == "23505" }
    var description: String { "PostgreSQL \(sqlState): \(message) — in: \(statement)" }
}

/// A parameter sent as text with no type (OID 0), so that PostgreSQL infers its type from where
/// it stands — as SQLite takes any value anywhere: `'5'` is a bigint beside a bigint column, text
/// beside a text one. Blobs are sent in bytea's hex form.
struct UntypedValue: PostgresDynamicTypeEncodable {
    let value: DatabaseValue
    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        switch value.storage {
        case .null: break
        case .int64(let n): byteBuffer.writeString(String(n))
        case .double(let d):
            if d.isNaN {
                byteBuffer.writeString("NaN")
            } else if d.isInfinite {
                byteBuffer.writeString(d > 0 ? "Infinity" : "-Infinity")
            } else {
                byteBuffer.writeString("\(d)")
            }
        case .string(let s): byteBuffer.writeString(s)
        case .blob(let data):
            byteBuffer.writeString("\\x")
            byteBuffer.writeString(data.map { String(format: "%02x", $0) }.joined())
        }
    }
}
