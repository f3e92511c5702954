import Foundation
import Hummingbird
import NIOPosix
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

    public init(database: AppDatabase, config: AppConfig, clock: AppClock = .system, hasher: PasswordHasher,
                metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), renderer: Renderer) {
        self.database = database
        self.config = config
        self.clock = clock
        self.hasher = hasher
        self.metrics = metrics
        self.renderer = renderer
    }

    var pages: TenantPages { TenantPages(renderer: renderer, database: database) }

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

    /// A query-string value, or "".
    func query(_ name: String) -> String {
        uri.queryParameters.get(name) ?? ""
    }
}
