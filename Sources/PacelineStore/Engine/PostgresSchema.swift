import Foundation
import GRDB
import Synchronization

/// PostgreSQL's migrations: the same versions as SQLite's, applied in the same order and recorded in
/// a table of the same name (`grdb_migrations`), so `/healthz`, `paceline migrate` and the tests read
/// both engines alike.
///
/// PostgreSQL support begins at `baseline`: a new PostgreSQL database gets, in one transaction, the
/// schema SQLite has after that migration — its `CREATE TABLE`/`CREATE INDEX` statements translated
/// mechanically (`PostgresDialect.schemaStatement`) — and the data version's triggers in PL/pgSQL.
/// Every later migration is appended to both lists, SQLite's in `Schema.swift` and PostgreSQL's in
/// `later` (append-only, versioned; `PostgresStoreTests` checks that the two schemas agree column for
/// column and that no SQLite migration lacks its PostgreSQL twin).
enum PostgresSchema {
    static let baseline = "v20-background-runs"

    /// Migrations after the baseline, by identifier: PostgreSQL's SQL for each.
    static let later: [(identifier: String, sql: String)] = [
        (
            "v21-background-claims",
            """
            ALTER TABLE background_run ADD COLUMN claimed_by TEXT;
            ALTER TABLE background_run ADD COLUMN claimed_until TEXT
            """
        ),
        ("v22-version-slots", versionSlots),
    ]

    /// The organization's data version without one row every write of the organization updates: under
    /// SERIALIZABLE two transactions raising the same row cannot both commit, so every concurrent write
    /// of an organization (two athletes checking in) was retried at least once and a burst of them ran
    /// out of tries. Each transaction that changes an organization's rows now adds one to a *slot* of
    /// its own connection's (`pg_backend_pid() % 64`), and the version is the organization's
    /// `data_version` (what it was when this migration ran, or what a copy brought) plus its slots' sum.
    /// Concurrent writers raise different rows, so they no longer conflict; every commit that changed
    /// something still raises the sum, and a later snapshot never sees less than an earlier one, so
    /// equal versions are equal data — all a cached page needs. (Not a sequence's `max`: numbers are
    /// handed out before commit, so a transaction committing after a later-numbered one would leave the
    /// maximum unchanged and a stale page cached under it.) A deleted organization's slots stay: a few
    /// rows under an id never used again.
    static let versionSlots = """
        CREATE TABLE data_version_slot (
          org_id BIGINT NOT NULL,
          slot INTEGER NOT NULL,
          changes BIGINT NOT NULL,
          PRIMARY KEY (org_id, slot)
        );
        CREATE OR REPLACE FUNCTION paceline_bump_data_version(org BIGINT) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
          IF org IS NULL OR current_setting('paceline.bumped_' || org, true) = '1' THEN RETURN; END IF;
          INSERT INTO data_version_slot (org_id, slot, changes) VALUES (org, pg_backend_pid() % 64, 1)
          ON CONFLICT (org_id, slot) DO UPDATE SET changes = data_version_slot.changes + 1;
          PERFORM set_config('paceline.bumped_' || org, '1', true);
        END $$
        """

    /// Tables of the engine's own bookkeeping, not the application's: not copied, compared or listed.
    static let internalTables: Set<String> = ["grdb_migrations", "data_version_slot"]

    /// A key for `pg_advisory_xact_lock`, one per schema: one server migrates, the others wait and
    /// find it done (stores in other schemas of the database migrate side by side).
    static func migrationLock(schema: String?) -> Int64 {
        // FNV-1a of "paceline:" + the schema: stable across processes (Swift's `hashValue` is not).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("paceline:" + (schema ?? "public")).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    static func migrate(_ store: PostgresStore, migrator: DatabaseMigrator, schema: String?) async throws {
        let baselineSQL = try baselineScript.withLock { script in
            if let script { return script }
            let made = try baselineStatements(migrator: migrator)
            script = made
            return made
        }
        let known = migrator.migrations
        // A session's lock, taken before the migration's transaction begins: its snapshot then sees
        // what a server that migrated first committed (a lock taken inside would not).
        try await store.run(.none) { db in
            guard case .postgres(let pg) = db.backend else { return }
            try pg.simple("SELECT pg_advisory_lock(\(migrationLock(schema: schema)))")
            defer { try? pg.simple("SELECT pg_advisory_unlock(\(migrationLock(schema: schema)))") }
            if let schema { try pg.simple("CREATE SCHEMA IF NOT EXISTS \(schema)") }
            // Case-blind text (SQLite's NOCASE columns), for the whole database, once.
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pg_extension WHERE extname = 'citext'") == 0 {
                try pg.simple("SELECT pg_advisory_lock(\(migrationLock(schema: "citext")))")
                defer { try? pg.simple("SELECT pg_advisory_unlock(\(migrationLock(schema: "citext")))") }
                try pg.simple("CREATE EXTENSION IF NOT EXISTS citext SCHEMA public")
            }
            try pg.transaction(.write) {
                try pg.simple("CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
                if !applied.contains(baseline) {
                    try pg.simple(baselineSQL)
                    for identifier in known.prefix(through: known.firstIndex(of: baseline) ?? 0) {
                        try db.execute(
                            sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier])
                    }
                }
                for migration in later where !applied.contains(migration.identifier) {
                    try pg.simple(migration.sql)
                    try db.execute(
                        sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.identifier])
                }
            }
        }
    }

    /// The baseline script, made once a process (its statements are translated with regular expressions).
    private static let baselineScript = Mutex<String?>(nil)

    /// The baseline schema, as one script.
    static func baselineStatements(migrator: DatabaseMigrator) throws -> String {
        var statements: [String] = []
        for (type, sql) in try SQLCompiler.sqliteSchema(migrator: migrator, upTo: baseline) {
            statements.append(PostgresDialect.schemaStatement(type: type, sql: sql))
        }
        statements.append(versionFunction)
        for table in AppDatabase.versionedTables {
            statements.append(contentsOf: versionTriggers(table: table))
        }
        statements.append(
            contentsOf: versionTriggers(
                table: "api_token", updateOf: "name, scope, expires_at, revoked_at, user_id, org_id"))
        statements.append(
            """
            CREATE FUNCTION paceline_user_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              PERFORM paceline_bump_data_version(org_id) FROM membership WHERE user_id = NEW.id;
              RETURN NULL;
            END $$
            """)
        statements.append(
            """
            CREATE TRIGGER user_data_version AFTER UPDATE OF name, email ON "user"
            FOR EACH ROW EXECUTE FUNCTION paceline_user_data_version()
            """)
        statements.append(
            """
            CREATE FUNCTION paceline_organization_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              PERFORM paceline_bump_data_version(NEW.id);
              RETURN NULL;
            END $$
            """)
        statements.append(
            """
            CREATE TRIGGER organization_data_version
            AFTER UPDATE OF slug, name, units, time_zone, coaches_edit_library ON organization
            FOR EACH ROW EXECUTE FUNCTION paceline_organization_data_version()
            """)
        return statements.joined(separator: ";\n") + ";"
    }

    /// The organization's data version goes up on every insert, update and delete of one of its rows
    /// (both organizations' when an update moves a row), as SQLite's triggers of v19 do — but once a
    /// transaction: what readers see is a new version after each commit that changed something, which
    /// is all a cached page needs, and a transaction writing a thousand rows (a plan assigned to a
    /// group, a copy) does not update the organization's row a thousand times (each would be a new row
    /// version for PostgreSQL to walk past). Since v22 the function counts in `data_version_slot`
    /// instead (`versionSlots`); the baseline stays as it was, migrations being append-only.
    static let versionFunction = """
        CREATE FUNCTION paceline_bump_data_version(org BIGINT) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
          IF org IS NULL OR current_setting('paceline.bumped_' || org, true) = '1' THEN RETURN; END IF;
          UPDATE organization SET data_version = data_version + 1 WHERE id = org;
          PERFORM set_config('paceline.bumped_' || org, '1', true);
        END $$;
        CREATE FUNCTION paceline_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            PERFORM paceline_bump_data_version(NEW.org_id);
          ELSIF TG_OP = 'UPDATE' THEN
            PERFORM paceline_bump_data_version(OLD.org_id);
            IF NEW.org_id IS DISTINCT FROM OLD.org_id THEN PERFORM paceline_bump_data_version(NEW.org_id); END IF;
          ELSE
            PERFORM paceline_bump_data_version(OLD.org_id);
          END IF;
          RETURN NULL;
        END $$
        """

    static func versionTriggers(table: String, updateOf: String? = nil) -> [String] {
        let name = PostgresDialect.quoted(table)
        let columns = updateOf.map { " OF \($0)" } ?? ""
        return [
            "CREATE TRIGGER \(table)_version_insert AFTER INSERT ON \(name) "
                + "FOR EACH ROW EXECUTE FUNCTION paceline_data_version()",
            "CREATE TRIGGER \(table)_version_update AFTER UPDATE\(columns) ON \(name) "
                + "FOR EACH ROW EXECUTE FUNCTION paceline_data_version()",
            "CREATE TRIGGER \(table)_version_delete AFTER DELETE ON \(name) "
                + "FOR EACH ROW EXECUTE FUNCTION paceline_data_version()",
        ]
    }
}

extension StoreConnection {
    /// The user tables of the schema (not the migrations' own).
    func tableNames() throws -> [String] {
        let sql =
            isPostgres
            ? """
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            """
            : """
            SELECT name FROM sqlite_master WHERE type = 'table'
            AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
            """
        return try String.fetchAll(self, sql: sql).filter { !PostgresSchema.internalTables.contains($0) }.sorted()
    }

    /// A table's columns, in their order.
    func columnNames(of table: String) throws -> [String] {
        switch backend {
        case .sqlite(let db): return try db.columns(in: table).map(\.name)
        case .postgres:
            return try String.fetchAll(
                self,
                sql: """
                    SELECT column_name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position
                    """, arguments: [table])
        }
    }

    /// A table's primary key columns (SQLite: `rowid` for a table without one).
    func primaryKeyColumns(of table: String) throws -> [String] {
        switch backend {
        case .sqlite(let db): return try db.primaryKey(table).columns
        case .postgres(let pg): return try pg.compiler.primaryKey(table)
        }
    }

    /// The triggers on each table.
    func triggerNames() throws -> [String: [String]] {
        let sql =
            isPostgres
            ? """
            SELECT event_object_table AS tbl_name, trigger_name AS name FROM information_schema.triggers
            WHERE trigger_schema = current_schema() GROUP BY event_object_table, trigger_name
            """
            : "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
        return Dictionary(grouping: try Row.fetchAll(self, sql: sql), by: { $0["tbl_name"] as String })
            .mapValues { $0.map { $0["name"] as String } }
    }
}
