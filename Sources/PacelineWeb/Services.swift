import Foundation
import Logging
import Hummingbird
import NIOPosix
import PacelineCore
import PacelineMail
import PacelineStore
import Prometheus

/// What the application needs from outside, passed in so tests build the real app with an
/// in-memory database, a fixed clock and cheap password hashing.
public struct AppDependencies: Sendable {
    public let database: AppDatabase
    public let config: AppConfig
    public let clock: AppClock
    public let hasher: PasswordHasher
    public let metrics: PrometheusCollectorRegistry
    public let renderer: Renderer
    /// Where the mail worker hands emails; nil: no worker runs (router tests), mail only queues.
    public let mailTransport: (any MailTransport)?

    public init(
        database: AppDatabase, config: AppConfig, clock: AppClock = .system, hasher: PasswordHasher,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), renderer: Renderer,
        mailTransport: (any MailTransport)? = nil
    ) {
        self.mailTransport = mailTransport
        self.database = database
        self.config = config
        self.clock = clock
        self.hasher = hasher
        self.metrics = metrics
        self.renderer = renderer
    }

    var pages: TenantPages { TenantPages(renderer: renderer) }
    var mail: MailComposer { MailComposer(deps: self) }

    /// A formatter for instants shown to people ("Nov 23, 2026, 2:10 PM") in the organization's zone.
    func instantFormatter(zone identifier: String, withTime: Bool = true) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.dateStyle = .medium
        formatter.timeStyle = withTime ? .short : .none
        formatter.timeZone = TimeZones.zone(identifier)
        return formatter
    }

    /// bcrypt takes ~250 ms at cost 12: run it on NIO's blocking pool, not on an event loop.
    func hashPassword(_ password: String) async throws -> String {
        let hasher = self.hasher
        return try await NIOThreadPool.singleton.runIfActive { hasher.hash(password) }
    }

    func verifyPassword(_ password: String, hash: String) async -> Bool {
        let hasher = self.hasher
        return (try? await NIOThreadPool.singleton.runIfActive { hasher.verify(password, hash: hash) }) ?? false
    }
}

extension Request {
    /// The `id` path parameter as a row id; anything else is a 404, not a crash.
    func id(_ context: some RequestContext, _ name: String = "id") throws -> Int64 {
        guard let text = context.parameters.get(name), text.count <= 18, let id = Int64(text), id > 0 else {
            throw HTTPError(.notFound)
        }
        return id
    }

    /// A link as people will paste it elsewhere: scheme and host as the request arrived (a host
    /// with unexpected characters becomes "localhost" rather than being echoed).
    func absoluteURL(path: String, secure: Bool) -> String {
        let host = head.authority ?? "localhost"
        let safeHost = host.allSatisfy { $0.isLetter || $0.isNumber || ".-:[]".contains($0) } ? host : "localhost"
        return "\(secure ? "https" : "http")://\(safeHost)\(path)"
    }

    /// A query-string value, or "".
    func query(_ name: String) -> String {
        uri.queryParameters.get(name) ?? ""
    }
}

extension AppDependencies {
    /// New data for an athlete: the engine looks again at once. A failure here must not undo the
    /// athlete's save, so it is logged, and the next scheduled run catches up.
    func recompute(_ scope: TenantScope, athleteId: Int64, logger: Logger) async {
        do {
            try await database.runEngine(scope, athleteId: athleteId, now: clock.now())
        } catch {
            logger.error("Engine recompute failed: \(error)", metadata: ["athlete": "\(athleteId)"])
        }
    }
}
