import ArgumentParser
import Foundation
import PacelineStore
#if canImport(Glibc)
import Glibc
#endif

extension ParsableCommand {
    /// Runs an operator's database operation; any failure is a message and exit status 2.
    static func operation<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as OperationError {
            throw fail(error.description)
        } catch {
            throw fail("\(error)")  // SQLite's own words: "file is not a database", "disk I/O error"…
        }
    }
}

/// `paceline backup --db PATH --to FILE`: a consistent, checked copy, safe while the server runs.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Copy the database to one file with SQLite's online backup (safe while serving), then check the copy's "
            + "integrity."
    )
    @OptionGroup var database: DatabaseOption
    @Option(help: "The backup file to write (replaced only once the new copy has passed its check).") var to: String

    func run() async throws {
        guard !to.isEmpty else { throw Self.fail("--to must name a file") }
        guard database.url() == nil else { throw Self.fail(DatabaseOption.sqliteOnly) }
        let counts = try Self.operation { try AppDatabase.backup(databaseAt: database.path(), to: to) }
        print(
            "Backed up \(database.path()) to \(to): integrity ok, \(counts.values.reduce(0, +)) rows in "
                + "\(counts.count) tables."
        )
    }
}

/// `paceline restore --db PATH --from FILE`: refuses while a server holds the database.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Put a backup in place of the database (the server must be stopped); the old file and its -wal/-shm are "
            + "kept aside."
    )
    @OptionGroup var database: DatabaseOption
    @Option(help: "The backup file (made by paceline backup).") var from: String

    func run() async throws {
        guard database.url() == nil else { throw Self.fail(DatabaseOption.sqliteOnly) }
        let counts = try Self.operation { try AppDatabase.restore(databaseAt: database.path(), from: from) }
        print(
            "Restored \(database.path()) from \(from): integrity ok, \(counts.values.reduce(0, +)) rows in "
                + "\(counts.count) tables."
        )
        print("Start the server; it migrates the schema if the backup is older than this build.")
    }
}

/// `paceline healthcheck`: exit 0 when the server's `/healthz` answers 200 "ok", else 1 (for
/// Docker's HEALTHCHECK and systemd, with no shell, curl or /dev/tcp needed).
struct HealthCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck", abstract: "Ask a running server's /healthz; exit 0 when healthy.")
    @Option(help: "The server's IPv4 address.") var hostname = "127.0.0.1"
    @Option(help: "The server's port (env PACELINE_PORT).") var port: Int?
    @Option(help: "Seconds to wait for the answer.") var timeout = 5

    func run() async throws {
        let port = self.port ?? Int(ProcessInfo.processInfo.environment["PACELINE_PORT"] ?? "") ?? 8080
        guard (1...65_535).contains(port) else { throw Self.fail("--port must be 1–65535") }
        guard (1...300).contains(timeout) else { throw Self.fail("--timeout must be 1–300 seconds") }
        var address = in_addr()
        guard inet_pton(AF_INET, hostname, &address) == 1 else {
            throw Self.fail("--hostname must be an IPv4 address, e.g. 127.0.0.1")
        }
        switch Self.ask(address: address, port: UInt16(port), timeout: timeout) {
        case .success(let body):
            print(body)
        case .failure(let reason):
            FileHandle.standardError.write(Data("unhealthy: \(reason)\n".utf8))
            throw ExitCode(1)
        }
    }

    enum Answer { case success(String), failure(String) }

    static func ask(address: in_addr, port: UInt16, timeout: Int) -> Answer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failure("no socket") }
        defer { close(fd) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var peer = sockaddr_in()
        peer.sin_family = sa_family_t(AF_INET)
        peer.sin_port = port.bigEndian
        peer.sin_addr = address
        let connected = withUnsafePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return .failure("no server at port \(port)") }
        let request = Array("GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return .failure("could not send") }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while answer.count < 65_536 {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            answer += buffer[0..<n]
        }
        let text = String(decoding: answer, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let status = parts.first?.split(separator: " ").dropFirst().first ?? ""
        let body = parts.dropFirst().joined(separator: "\r\n\r\n")
        return status == "200" && body == "ok"
            ? .success(body) : .failure(text.isEmpty ? "no answer" : "HTTP \(status): \(body.prefix(200))")
    }
}

/// `paceline copy-database --from A --to B`: every row from one database to a new empty one, SQLite
/// file or PostgreSQL URL either way, ids kept, then compared row for row.
struct CopyDatabase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy-database",
        abstract:
            "Copy every row to a new empty database (a SQLite file or a postgres:// URL, either way), then "
            + "check the copy row for row. Stop the servers first."
    )
    @Option(help: "The database to copy: a SQLite file or postgres://user:password@host:5432/db.") var from: String
    @Option(help: "The new database: a SQLite file (created) or a postgres:// URL (migrated).") var to: String

    static func open(_ location: String) async throws -> AppDatabase {
        let isURL = location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
        if !isURL, !location.hasSuffix(".sqlite"), !FileManager.default.fileExists(atPath: location) {
            throw OperationError("\(location) is neither a postgres:// URL nor a SQLite file")
        }
        return try await AppDatabase.open(url: isURL ? location : nil, path: location)
    }

    func run() async throws {
        guard from != to else { throw Self.fail("--from and --to are the same database") }
        do {
            guard from.contains("://") || FileManager.default.fileExists(atPath: from) else {
                throw OperationError("no database at \(from)")
            }
            let source = try await Self.open(from)
            let target = try await Self.open(to)
            let counts = try await source.copyAll(to: target)
            let differences = try await source.differences(from: target)
            await source.close()
            await target.close()
            guard differences.isEmpty else {
                for (table, difference) in differences.sorted(by: { $0.key < $1.key }) {
                    FileHandle.standardError.write(Data("error: \(table): \(difference)\n".utf8))
                }
                throw ExitCode(1)
            }
            print(
                "Copied \(counts.values.reduce(0, +)) rows in \(counts.count) tables from "
                    + "\(AppDatabase.redacted(from)) to \(AppDatabase.redacted(to)); every row checked equal.")
        } catch let error as OperationError {
            throw Self.fail(error.description)
        }
    }
}
