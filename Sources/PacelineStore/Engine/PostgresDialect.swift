import Foundation
import Synchronization

/// The few places where the store's SQL (its own, and what GRDB builds) is spelt differently on
/// PostgreSQL. Everything else is the SQL both engines share. The store's SQL is its own text —
/// user input is always a bound parameter — so these rewrites never see a user's words.
enum PostgresDialect {
    /// A statement for PostgreSQL: `?` → `$1, $2…` (outside quotes), and
    /// * `x COLLATE NOCASE` → `lower(x)` (SQLite's case-blind order and comparison);
    /// * `LIKE` → `ILIKE` (SQLite's LIKE ignores ASCII case);
    /// * the table `user` quoted (a reserved word in PostgreSQL);
    /// * `INSERT OR IGNORE` → `INSERT … ON CONFLICT DO NOTHING`; `IFNULL` → `COALESCE`.
    static func translate(_ sql: String) -> (sql: String, parameters: Int) {
        if let known = cache.withLock({ $0[sql] }) { return known }
        var text = sql
        // A comparison under NOCASE: both sides lowered (`a = ? COLLATE NOCASE`, as GRDB writes it).
        text.replace(
            #/
            ((?:"[^"]+"|[A-Za-z_][A-Za-z_0-9]*)(?:\.(?:"[^"]+"|[A-Za-z_][A-Za-z_0-9]*))?)
            \ (=|<>|!=|<=|>=|<|>)\ (\?|"[^"]+"|[A-Za-z_][A-Za-z_0-9.]*)\ COLLATE\ NOCASE
            /#
        ) { "lower(\($0.1)) \($0.2) lower(\($0.3))" }
        text.replace(/((?:"[^"]+"|[A-Za-z_][A-Za-z_0-9]*)(?:\.(?:"[^"]+"|[A-Za-z_][A-Za-z_0-9]*))?) COLLATE NOCASE/) {
            "lower(\($0.1))"
        }
        text.replace(/(?i)\bLIKE\b/) { _ in "ILIKE" }
        text.replace(/(?i)\b(FROM|JOIN|INTO|UPDATE|REFERENCES|ON|TABLE) user\b/) { "\($0.1) \"user\"" }
        text.replace(/(?i)\bIFNULL\(/) { _ in "COALESCE(" }
        if text.firstMatch(of: /(?i)^\s*INSERT OR IGNORE INTO/) != nil {
            text.replace(/(?i)^\s*INSERT OR IGNORE INTO/) { _ in "INSERT INTO" }
            if let returning = text.firstRange(of: /(?i)\sRETURNING\s/) {
                text.insert(contentsOf: " ON CONFLICT DO NOTHING", at: returning.lowerBound)
            } else {
                text += " ON CONFLICT DO NOTHING"
            }
        }
        let result = numberParameters(text)
        cache.withLock { cache in
            if cache.count > 4096 { cache.removeAll() }
            cache[sql] = result
        }
        return result
    }

    private static let cache = Mutex<[String: (sql: String, parameters: Int)]>([:])

    /// `?` → `$n`, skipping string literals and quoted identifiers.
    static func numberParameters(_ sql: String) -> (sql: String, parameters: Int) {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var count = 0
        var quote: Character? = nil
        for c in sql {
            if let q = quote {
                if c == q { quote = nil }
                out.append(c)
            } else if c == "'" || c == "\"" {
                quote = c
                out.append(c)
            } else if c == "?" {
                count += 1
                out += "$\(count)"
            } else {
                out.append(c)
            }
        }
        return (out, count)
    }

    /// A script's statements: split at `;` outside quotes and `$$` bodies.
    static func statements(_ script: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character? = nil
        var dollar = false
        var previous: Character = " "
        for c in script {
            if dollar {
                if c == "$", previous == "$" { dollar = false }
            } else if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "$", previous == "$" {
                dollar = true
            } else if c == ";" {
                if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append(current) }
                current = ""
                previous = " "
                continue
            }
            // `$$` opens or closes once: the closing `$` must not pair with the opening one.
            previous = (c == "$" && previous == "$") ? " " : c
            current.append(c)
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append(current) }
        return out
    }

    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Schema

    /// PostgreSQL's DDL for SQLite's `CREATE TABLE` or `CREATE INDEX` as the migrations left it.
    /// Types: INTEGER → BIGINT (an `id INTEGER PRIMARY KEY` → an identity column), BOOLEAN →
    /// SMALLINT (0/1, as GRDB writes it), REAL → DOUBLE PRECISION, BLOB → BYTEA; DATETIME stays text
    /// (GRDB's `yyyy-MM-dd HH:mm:ss.SSS`, ordered the same on both), and a `TEXT … COLLATE NOCASE`
    /// column is CITEXT (case-blind comparison, uniqueness and order, as on SQLite).
    static func schemaStatement(type: String, sql: String) -> String {
        if type == "index" {
            var text = sql
            text.replace(/((?:"[^"]+"|[A-Za-z_][A-Za-z_0-9]*)) COLLATE NOCASE/) { "lower(\($0.1))" }
            text.replace(/^CREATE (UNIQUE )?INDEX ([a-z_0-9]+) ON ([a-z_0-9]+)\s*\(/) {
                "CREATE \($0.1 ?? "")INDEX \"\($0.2)\" ON \"\($0.3)\"("
            }
            return text
        }
        guard let open = sql.firstIndex(of: "("), let close = sql.lastIndex(of: ")") else { return sql }
        var head = String(sql[..<open])
        head.replace(/(?i)TABLE user\s*$/) { _ in "TABLE \"user\" " }
        let body = sql[sql.index(after: open)..<close]
        let definitions = splitTopLevel(String(body)).map(column).joined(separator: ",\n    ")
        return head + "(\n    " + definitions + "\n)"
    }

    private static func column(_ definition: String) -> String {
        var text = definition.trimmingCharacters(in: .whitespacesAndNewlines)
        let upper = text.uppercased()
        if upper.hasPrefix("PRIMARY KEY") || upper.hasPrefix("UNIQUE") || upper.hasPrefix("CHECK")
            || upper.hasPrefix("FOREIGN KEY")
        {
            return text
        }
        if text.firstMatch(of: /^id INTEGER PRIMARY KEY( AUTOINCREMENT)?/) != nil {
            text.replace(/^id INTEGER PRIMARY KEY( AUTOINCREMENT)?/) { _ in
                "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
            }
        }
        if text.contains("COLLATE NOCASE") {
            text = text.replacingOccurrences(of: " COLLATE NOCASE", with: "")
            text.replace(/^([a-z_0-9]+) TEXT\b/) { "\($0.1) CITEXT" }
        }
        text.replace(/^([a-z_0-9]+) INTEGER\b/) { "\($0.1) BIGINT" }
        text.replace(/^([a-z_0-9]+) BOOLEAN\b/) { "\($0.1) SMALLINT" }
        text.replace(/^([a-z_0-9]+) REAL\b/) { "\($0.1) DOUBLE PRECISION" }
        text.replace(/^([a-z_0-9]+) DATETIME\b/) { "\($0.1) TEXT" }
        text.replace(/^([a-z_0-9]+) BLOB\b/) { "\($0.1) BYTEA" }
        text.replace(/REFERENCES user\(/) { _ in "REFERENCES \"user\"(" }
        return text
    }

    /// `a, b (c, d), e` → `a`, `b (c, d)`, `e`.
    static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character? = nil
        for c in text {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
            } else if c == ",", depth == 0 {
                parts.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(current) }
        return parts
    }
}
