import Foundation
import Hummingbird
import Logging
import PacelineCore
import PacelineStore
import ServiceLifecycle

/// Builds the application: the router below, the server configuration, background services.
public func buildApplication(_ deps: AppDependencies, logger: Logger) -> some ApplicationProtocol {
    let (router, _) = buildRouter(deps)
    // A connection that sends nothing (no complete request head, no body bytes) for
    // `idleTimeout` is closed: half-sent requests cannot hold connections open.
    var app = Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(deps.config.idleTimeoutSeconds)))),
        configuration: .init(address: .hostname(deps.config.hostname, port: deps.config.port), serverName: "Paceline"),
        logger: logger
    )
    app.addServices(
        MaintenanceService(database: deps.database, clock: deps.clock, logger: logger),
        EngineService(database: deps.database, clock: deps.clock, logger: logger))
    if let transport = deps.mailTransport {
        app.addServices(MailService(deps: deps, transport: transport, logger: logger))
    }
    return app
}

/// Every route of the site, grouped by who may call it. The middleware order reads as the
/// policy: requests are counted and logged (secrets redacted) with the status the client got,
/// every response carries the security headers, errors become pages, static files are served,
/// then the session is loaded and every state-changing request must carry its CSRF token.
public func buildRouter(_ deps: AppDependencies) -> (Router<AppRequestContext>, RouteTable) {
    let table = RouteTable()
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        MetricsMiddleware()
        RequestLogMiddleware(level: .info)
        SecurityHeadersMiddleware()
        ErrorPageMiddleware(renderer: deps.renderer)
        // The error pages inside render a 404 rather than throw it, so the files are looked up on a 404 response.
        FileMiddleware(deps.config.publicDirectory, searchForIndexHtml: false).withServeOnNotFoundResponse()
        SessionMiddleware(database: deps.database, clock: deps.clock, secureCookies: deps.config.secureCookies)
        ErrorPageMiddleware(renderer: deps.renderer)
        CSRFMiddleware()
    }

    let database = deps.database, clock = deps.clock

    // Open to anyone: the front page, operations endpoints, log-in, sign-up, invitation links,
    // calendar feeds (the token is the key).
    let open = GuardedRoutes(group: router.group(), prefix: "/", access: .open("site"), table: table)
    HomeController(deps: deps).addRoutes(to: open)
    AuthController(deps: deps).addRoutes(to: open)
    InvitationController(deps: deps).addRoutes(to: open)
    PasswordResetController(deps: deps).addRoutes(to: open)
    UnsubscribeController(deps: deps).addRoutes(to: open)
    CalendarFeedController(deps: deps).addPublicRoutes(to: open)

    // Any signed-in user: their own account.
    let signedIn = GuardedRoutes(
        group: router.group().add(middleware: SignedInGuard()), prefix: "/", access: .signedIn,
        table: table)
    AuthController(deps: deps).addSignedInRoutes(to: signedIn)
    AccountController(deps: deps).addRoutes(to: signedIn)
    DeleteAccountController(deps: deps).addRoutes(to: signedIn)
    APITokensController(deps: deps).addRoutes(to: signedIn)

    // Members of the organization in the path, by role.
    let tenantGroup = router.group("o/:org")
        .add(middleware: TenantMiddleware(database: database))
        .group(context: TenantContext.self)
        .add(middleware: ErrorPageMiddleware<TenantContext>(renderer: deps.renderer))
    let member = GuardedRoutes(group: tenantGroup, prefix: "/o/:org", access: .member(.athlete), table: table)
    DashboardController(deps: deps).addRoutes(to: member)
    FitnessController(deps: deps).addRoutes(to: member)
    TrainingController(deps: deps).addWorkoutRoutes(to: member)
    DeviceFilesController(deps: deps).addRoutes(to: member)
    LogController(deps: deps).addActivityRoutes(to: member)
    CommentsController(deps: deps).addRoutes(to: member)
    NotificationsController(deps: deps).addRoutes(to: member)

    // The signed-in athlete's own training data (`AthleteContext`: their profile, resolved once).
    let own = member.athleteArea(.own, database: database, clock: clock)
    TrainingController(deps: deps).addRoutes(to: own)
    DeviceFilesController(deps: deps).addAthleteRoutes(to: own)
    ExportController(deps: deps).addAthleteRoutes(to: own)
    CalendarFeedController(deps: deps).addRoutes(to: own)
    LogController(deps: deps).addRoutes(to: own)
    UploadController(deps: deps).addRoutes(to: own)
    CheckInController(deps: deps).addRoutes(to: own)
    ImportController(deps: deps).addRoutes(to: own)
    WeatherController(deps: deps).addRoutes(to: own)
    AvailabilityController(deps: deps).addRoutes(to: own)
    ThresholdsController(deps: deps).addRoutes(to: own)
    AdaptationController(deps: deps).addRoutes(to: own)
    ValidationController(deps: deps).addRoutes(to: own)

    let coach = member.requiring(.coach)
    AthletesController(deps: deps).addRoutes(to: coach)
    GroupsController(deps: deps).addRoutes(to: coach)
    FitnessController(deps: deps).addCoachRoutes(to: coach)
    LibraryController(deps: deps).addRoutes(to: coach)
    DeviceFilesController(deps: deps).addCoachRoutes(to: coach)
    PlansController(deps: deps).addRoutes(to: coach)
    PlanDayController(deps: deps).addRoutes(to: coach)
    AssignController(deps: deps).addRoutes(to: coach)
    InstancesController(deps: deps).addRoutes(to: coach)
    LogController(deps: deps).addCoachRoutes(to: coach)
    AdaptationController(deps: deps).addCoachRoutes(to: coach)
    ValidationController(deps: deps).addCoachRoutes(to: coach)

    // An athlete a coach opened (`/o/{org}/athletes/{id}/…`): the same pages as the athlete's own.
    let opened = coach.athleteArea(.opened(parameter: "id"), database: database, clock: clock)
    AthletesController(deps: deps).addOpenedRoutes(to: opened)
    LogController(deps: deps).addRoutes(to: opened)
    UploadController(deps: deps).addRoutes(to: opened)
    CheckInController(deps: deps).addCoachRoutes(to: opened)
    ImportController(deps: deps).addRoutes(to: opened)
    WeatherController(deps: deps).addRoutes(to: opened)
    AvailabilityController(deps: deps).addRoutes(to: opened)
    ThresholdsController(deps: deps).addRoutes(to: opened)
    AdaptationController(deps: deps).addRoutes(to: opened)
    AdaptationController(deps: deps).addOpenedRoutes(to: opened)
    ValidationController(deps: deps).addRoutes(to: opened)

    let admin = member.requiring(.admin)
    MembersController(deps: deps).addRoutes(to: admin)
    CoachingController(deps: deps).addRoutes(to: admin)
    ExportController(deps: deps).addAdminRoutes(to: admin)
    DeleteOrganizationController(deps: deps).addRoutes(to: admin)
    LibraryController(deps: deps).addEditorRoutes(to: member.libraryEditors())

    // The JSON API (bearer tokens, not the session): its OpenAPI document and operations.
    do {
        try APIRoutes.add(to: router, deps: deps, table: table)
    } catch {
        // Only a transport that throws could fail here, and ours does not; say so loudly if that changes.
        FileHandle.standardError.write(Data("The JSON API could not be mounted: \(error)\n".utf8))
    }

    return (router, table)
}

/// This server among others on one database: host, process and a random part (a restarted process
/// is a new holder; its old claims lapse).
enum ServerIdentity {
    static let name =
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):"
        + UUID().uuidString.prefix(8)
}

/// Hourly upkeep, stopping with the server: checks the database's integrity (daily), deletes
/// expired sessions and marks plans whose last day has passed completed.
struct MaintenanceService: Service {
    let database: AppDatabase
    let clock: AppClock
    let logger: Logger

    func run() async throws {
        var hours = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // Integrity once a day (first at start): /healthz fails from then on if pages
                // or indexes are damaged, instead of answering "ok" beside failing pages.
                if hours % 24 == 0, let problem = try await database.checkIntegrity() {
                    logger.critical("Database integrity check failed: \(problem)")
                }
                hours += 1
                let removed = try await database.deleteExpiredSessions(now: clock.now())
                if removed > 0 { logger.info("Removed expired sessions", metadata: ["count": "\(removed)"]) }
                let completed = try await database.completeFinishedInstances(now: clock.now())
                if completed > 0 { logger.info("Plans completed", metadata: ["count": "\(completed)"]) }
                // Sent emails are kept 60 days (their unsubscribe links work that long), then forgotten.
                try await database.purgeOldMail(before: clock.now().addingTimeInterval(-60 * 86_400))
            } catch {
                logger.error("Maintenance failed: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}

/// The adaptive engine's background run: every athlete every six hours (the "nightly" run, more
/// often so a server restarted at night does not skip a day), at start when no run finished in the
/// last six hours (the database keeps when one did). New data also recomputes its athlete right
/// after the response (`EngineQueue`). Idempotent, one transaction per athlete, so a crash mid-run
/// loses nothing and repeats nothing.
struct EngineService: Service {
    let database: AppDatabase
    let clock: AppClock
    let logger: Logger
    static let interval: Duration = .seconds(6 * 3600)
    /// How long a claim on the run holds: longer than a run takes (100 000 athletes: ~2 minutes).
    static let lease: TimeInterval = 30 * 60

    /// Seconds until the next run is due: now when none finished in the last interval (a restart
    /// does not repeat a run another server, or this one before it stopped, finished an hour ago).
    static func wait(lastRun: Date?, now: Date) -> Double {
        guard let lastRun else { return 0 }
        let interval = Double(Self.interval.components.seconds)
        return min(interval, max(0, lastRun.addingTimeInterval(interval).timeIntervalSince(now)))
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let wait = Self.wait(lastRun: try? await database.lastEngineRunForAll(), now: clock.now())
            if wait > 0 {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(wait)) }
                continue
            }
            do {
                // Several servers on one database: the one that claims the run does it; the others look
                // again a minute later (and find it finished, or its claim lapsed with a killed server).
                guard
                    try await database.claimBackgroundWork(
                        "engine", holder: ServerIdentity.name, now: clock.now(), lease: Self.lease)
                else {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
                    continue
                }
                let started = ContinuousClock.now
                let result = try await database.runEngineForAll(now: clock.now())
                try? await database.releaseBackgroundWork("engine", holder: ServerIdentity.name)
                logger.info(
                    "Engine run",
                    metadata: [
                        "athletes": "\(result.athletes)", "proposals": "\(result.proposals)",
                        "seconds": "\((ContinuousClock.now - started).components.seconds)",
                    ])
            } catch {
                try? await database.releaseBackgroundWork("engine", holder: ServerIdentity.name)
                logger.error("Engine run failed: \(error)")
                // Not again at once: the next look is an interval away, as after a run.
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
            }
        }
    }
}
