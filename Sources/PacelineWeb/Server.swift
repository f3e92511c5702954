import Foundation
import Hummingbird
import Logging
import Metrics
import PacelineMail
import PacelineStore
import Prometheus

/// Starts the server for `paceline serve`: metrics, database, templates, then the app with
/// graceful shutdown on SIGTERM and SIGINT (ServiceLifecycle).
public enum PacelineServer {
    public static func run(config: AppConfig) async throws {
        // A peer or a child process that goes away mid-write is an error to handle, never a reason to exit.
        signal(SIGPIPE, SIG_IGN)
        var logger = Logger(label: "paceline")
        logger.logLevel = config.logLevel
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        // SQLite: held (shared) while serving, so `paceline restore` cannot swap the file underneath.
        // PostgreSQL: several servers share the database; nothing to hold.
        let lock =
            config.databaseURL == nil
            ? try ServerLock.acquire(databasePath: config.databasePath, mode: .shared) : nil
        defer { lock?.release() }
        let database = try await AppDatabase.open(
            url: config.databaseURL, path: config.databasePath, logLevel: config.logLevel)
        let renderer = try await Renderer(directory: config.templatesDirectory)
        // No relay configured: emails become files beside the database (`data/mail/` for `make run`).
        let mailFolder = URL(fileURLWithPath: config.databasePath).deletingLastPathComponent()
            .appendingPathComponent("mail").path
        let transport: any MailTransport
        do {
            transport = try MailSettings.transport(
                environment: ProcessInfo.processInfo.environment, fallbackDirectory: mailFolder)
        } catch let error as MailSettingsError {
            throw OperationError(error.description)  // `paceline serve` prints it and exits 2
        }
        let deps = AppDependencies(
            database: database, config: config, hasher: PasswordHasher(cost: config.bcryptCost),
            metrics: registry, renderer: renderer, mailTransport: transport)
        logger.info(
            "Paceline starting",
            metadata: [
                "db": "\(config.databaseURL.map(AppDatabase.redacted) ?? config.databasePath)",
                "address": "\(config.hostname):\(config.port)",
                "mail": "\(transport.summary)",
            ])
        let app = buildApplication(deps, logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
