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
    /// Rendered pages and API documents that cannot change between requests (see `VersionedCache`).
    let caches: Caches
    /// Engine runs asked for by new data, done after the response (see `EngineQueue`).
    public let engine: EngineQueue

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
        self.caches = Caches(megabytes: config.pageCacheMegabytes)
        self.engine = EngineQueue(database: database, clock: clock)
    }

    var pages: TenantPages { TenantPages(renderer: renderer, cache: caches.pages, clock: clock) }
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
    /// New data for an athlete: the engine looks again, right after the response. The save is
    /// already durable, so the athlete does not wait for the engine (a year of their data read and
    /// modelled), and a burst of saves by one athlete is one recompute (`EngineQueue`).
    func recompute(_ scope: TenantScope, athleteId: Int64, logger: Logger) async {
        await engine.enqueue(scope, athleteId: athleteId, logger: logger)
    }
}

/// The engine runs that new data asks for, one at a time, in the order asked, each athlete at most
/// once in the queue: an athlete who saves again before their run starts joins the run already
/// waiting. A failure is logged and the next scheduled run (`EngineService`) catches up — as it
/// does for a queue lost with the process: every athlete is recomputed on the schedule anyway.
public actor EngineQueue {
    private struct Job {
        let scope: TenantScope
        let athleteId: Int64
        let logger: Logger
    }

    private let database: AppDatabase
    private let clock: AppClock
    private var order: [Int64] = []
    private var head = 0
    private var jobs: [Int64: Job] = [:]
    private var running = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// Runs done and requests that joined a waiting run, since start (metrics and tests).
    public private(set) var runs = 0
    public private(set) var joined = 0

    init(database: AppDatabase, clock: AppClock) {
        self.database = database
        self.clock = clock
    }

    func enqueue(_ scope: TenantScope, athleteId: Int64, logger: Logger) {
        if jobs[athleteId] != nil {
            joined += 1
        } else {
            order.append(athleteId)
        }
        jobs[athleteId] = Job(scope: scope, athleteId: athleteId, logger: logger)
        guard !running else { return }
        running = true
        Task { await self.drain() }
    }

    private func drain() async {
        while head < order.count {
            let athleteId = order[head]
            head += 1
            if head == order.count {
                order.removeAll(keepingCapacity: true)
                head = 0
            }
            guard let job = jobs.removeValue(forKey: athleteId) else { continue }
            do {
                try await database.runEngine(job.scope, athleteId: job.athleteId, now: clock.now())
            } catch {
                job.logger.error("Engine recompute failed: \(error)", metadata: ["athlete": "\(job.athleteId)"])
            }
            runs += 1
        }
        running = false
        let done = waiting
        waiting = []
        for continuation in done { continuation.resume() }
    }

    /// Returns once every run asked for so far is done (tests; a graceful shutdown).
    public func idle() async {
        guard running else { return }
        await withCheckedContinuation { waiting.append($0) }
    }
}
