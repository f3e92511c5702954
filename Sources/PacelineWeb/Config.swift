import Foundation
import Logging
import PacelineStore

/// Configuration, read once at start from flags and environment into one typed value.
public struct AppConfig: Sendable {
    public var hostname = "127.0.0.1"
    public var port = 8080
    public var databasePath = "./data/paceline.sqlite"
    /// `PACELINE_DATABASE_URL=postgres://…`: the data in PostgreSQL (several app servers share it);
    /// unset, or `--db PATH` given, SQLite at `databasePath`.
    public var databaseURL: String?
    public var templatesDirectory = "Templates"
    public var publicDirectory = "Public"
    /// Mark cookies `Secure` (serve behind HTTPS).
    public var secureCookies = false
    /// How many proxies you run in front of the server, each appending to `X-Forwarded-For`
    /// (nginx's `$proxy_add_x_forwarded_for`). The client address is the entry the outermost of
    /// them appended; whatever the client wrote before it is ignored. 0: the socket's peer.
    public var trustedProxies = 0
    /// Seconds a connection may send nothing (mid-request or between requests) before it is closed.
    public var idleTimeoutSeconds = 10
    public var sessionLifetime: TimeInterval = 14 * 86_400
    public var bcryptCost: UInt8 = 12
    public var logLevel: Logger.Level = .info
    /// The site's address as people reach it, for links in emails (`PACELINE_BASE_URL`). Never taken
    /// from a request's Host header, which an attacker writes (a reset link to their own site).
    public var baseURL: String?
    /// The From of every email (`PACELINE_MAIL_FROM`).
    public var mailFrom = "Paceline <paceline@localhost.localdomain>"
    /// Seconds between the mail worker's looks at the queue (`PACELINE_MAIL_POLL`).
    public var mailPollSeconds = 5
    /// Seconds between looks for scheduled emails whose time has come (`PACELINE_MAIL_SCHEDULE`).
    public var mailScheduleSeconds = 60
    /// Requests a minute per API token (`PACELINE_API_RATE`).
    public var apiRatePerMinute = APITokenPolicy.defaultPerMinute
    /// Memory for rendered pages that cannot change between requests, in MiB (`PACELINE_PAGE_CACHE_MB`;
    /// 0 turns the cache off — `make bench` measures both).
    public var pageCacheMegabytes = 64

    public init() {}

    /// Links in emails start with this: the configured address, else this server's own.
    public var siteURL: String {
        if let baseURL, !baseURL.isEmpty { return baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL }
        return "http://\(hostname == "0.0.0.0" ? "localhost" : hostname):\(port)"
    }

    /// Applies `PACELINE_*` environment variables over the defaults.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> AppConfig {
        var config = AppConfig()
        if let v = env["PACELINE_HOSTNAME"], !v.isEmpty { config.hostname = v }
        if let v = env["PACELINE_PORT"].flatMap(Int.init), (1...65_535).contains(v) { config.port = v }
        if let v = env["PACELINE_DB"], !v.isEmpty { config.databasePath = v }
        if let v = env["PACELINE_DATABASE_URL"], !v.isEmpty { config.databaseURL = v }
        if let v = env["PACELINE_TEMPLATES"], !v.isEmpty { config.templatesDirectory = v }
        if let v = env["PACELINE_PUBLIC"], !v.isEmpty { config.publicDirectory = v }
        if let v = env["PACELINE_SECURE_COOKIES"] {
            config.secureCookies = ["1", "true", "yes"].contains(v.lowercased())
        }
        // PACELINE_TRUST_PROXY=true (earlier releases) is one proxy.
        if let v = env["PACELINE_TRUST_PROXY"] {
            config.trustedProxies = ["1", "true", "yes"].contains(v.lowercased()) ? 1 : 0
        }
        if let v = env["PACELINE_TRUSTED_PROXIES"].flatMap(Int.init), (0...10).contains(v) { config.trustedProxies = v }
        if let v = env["PACELINE_IDLE_TIMEOUT"].flatMap(Int.init), (1...3600).contains(v) {
            config.idleTimeoutSeconds = v
        }
        if let v = env["PACELINE_BCRYPT_COST"].flatMap(UInt8.init), (10...16).contains(v) { config.bcryptCost = v }
        if let v = env["PACELINE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) { config.logLevel = v }
        if let v = env["PACELINE_BASE_URL"], v.hasPrefix("http://") || v.hasPrefix("https://") { config.baseURL = v }
        if let v = env["PACELINE_MAIL_FROM"], !v.isEmpty { config.mailFrom = v }
        if let v = env["PACELINE_MAIL_POLL"].flatMap(Int.init), (1...300).contains(v) { config.mailPollSeconds = v }
        if let v = env["PACELINE_MAIL_SCHEDULE"].flatMap(Int.init), (1...3600).contains(v) {
            config.mailScheduleSeconds = v
        }
        if let v = env["PACELINE_API_RATE"].flatMap(Int.init), (1...1_000_000).contains(v) {
            config.apiRatePerMinute = v
        }
        if let v = env["PACELINE_PAGE_CACHE_MB"].flatMap(Int.init), (0...4096).contains(v) {
            config.pageCacheMegabytes = v
        }
        return config
    }
}

/// The time source, injectable so tests can move through days and expiries.
public struct AppClock: Sendable {
    public let now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date) { self.now = now }
    public static let system = AppClock { Date() }
}
