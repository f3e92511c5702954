import Foundation
import Logging

/// Configuration, read once at start from flags and environment into one typed value.
public struct AppConfig: Sendable {
    public var hostname = "127.0.0.1"
    public var port = 8080
    public var databasePath = "./data/paceline.sqlite"
    public var templatesDirectory = "Templates"
    public var publicDirectory = "Public"
    /// Mark cookies `Secure` (serve behind HTTPS).
    public var secureCookies = false
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    public var trustProxy = false
    public var sessionLifetime: TimeInterval = 14 * 86_400
    public var bcryptCost: UInt8 = 12
    public var logLevel: Logger.Level = .info

    public init() {}

    /// Applies `PACELINE_*` environment variables over the defaults.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> AppConfig {
        var config = AppConfig()
        if let v = env["PACELINE_HOSTNAME"], !v.isEmpty { config.hostname = v }
        if let v = env["PACELINE_PORT"].flatMap(Int.init), (1...65_535).contains(v) { config.port = v }
        if let v = env["PACELINE_DB"], !v.isEmpty { config.databasePath = v }
        if let v = env["PACELINE_TEMPLATES"], !v.isEmpty { config.templatesDirectory = v }
        if let v = env["PACELINE_PUBLIC"], !v.isEmpty { config.publicDirectory = v }
        if let v = env["PACELINE_SECURE_COOKIES"] { config.secureCookies = ["1", "true", "yes"].contains(v.lowercased()) }
        if let v = env["PACELINE_TRUST_PROXY"] { config.trustProxy = ["1", "true", "yes"].contains(v.lowercased()) }
        if let v = env["PACELINE_BCRYPT_COST"].flatMap(UInt8.init), (10...16).contains(v) { config.bcryptCost = v }
        if let v = env["PACELINE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) { config.logLevel = v }
        return config
    }
}

/// The time source, injectable so tests can move through days and expiries.
public struct AppClock: Sendable {
    public let now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date) { self.now = now }
    public static let system = AppClock { Date() }
}
