import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import ZIPFoundation

/// Workouts out to the watch and to Zwift: a scheduled workout as a FIT workout file or a `.zwo`,
/// with the athlete's own targets; a library workout for a VDOT the coach gives; and the athlete's
/// next seven days, one FIT file each, in a zip ("Send to watch").
struct DeviceFilesController {
    let deps: AppDependencies
    static let daysAhead = 7

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("workouts/:id/workout.fit", use: { try await self.scheduled($0, $1, format: .fit) })
        routes.get("workouts/:id/workout.zwo", use: { try await self.scheduled($0, $1, format: .zwo) })
    }

    func addCoachRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("library/:id/workout.fit", use: { try await self.library($0, $1, format: .fit) })
        routes.get("library/:id/workout.zwo", use: { try await self.library($0, $1, format: .zwo) })
    }

    func addAthleteRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("send-to-watch", use: sendToWatch)
    }

    enum Format: String { case fit, zwo }

    static func targets(_ viewer: Viewer) -> WorkoutFileTargets {
        WorkoutFileTargets(
            zones: viewer.zones, heartRate: viewer.heartRate, units: viewer.units, thresholds: viewer.thresholds)
    }

    /// `2026-12-03-intervals-6-x-800-m.fit`: ASCII letters, digits and dashes only.
    static func fileName(_ date: CalendarDate?, _ name: String, _ format: Format) -> String {
        let words = FileNames.slug(name, fallback: "workout")
        let stem = [date?.description, words].compactMap { $0 }.joined(separator: "-")
        return "\(stem).\(format.rawValue)"
    }

    func file(_ workout: Workout, date: CalendarDate?, targets: WorkoutFileTargets, format: Format) throws
        -> Response
    {
        let name = Self.fileName(date, workout.name, format)
        let body: ByteBuffer
        let type: String
        switch format {
        case .fit:
            body = ByteBuffer(bytes: WorkoutFIT.encode(workout, targets: targets, created: deps.clock.now()))
            type = "application/vnd.ant.fit"
        case .zwo:
            guard WorkoutZWO.supports(workout.sport) else {
                throw PageError(
                    status: .notFound, title: "No Zwift file for this workout",
                    message: "Zwift takes runs and rides; download the FIT file for your watch instead.")
            }
            body = ByteBuffer(string: WorkoutZWO.encode(workout, targets: targets))
            type = "application/xml; charset=utf-8"
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: body))
    }

    @Sendable func scheduled(_ request: Request, _ context: TenantContext, format: Format) async throws
        -> Response
    {
        let item = try await deps.database.scheduledWorkout(context.scope, id: try request.id(context))
        let subject = try await AthleteAccess.subject(
            athleteId: item.athleteId, scope: context.scope, database: deps.database, now: deps.clock.now())
        return try file(item.workout, date: item.date, targets: Self.targets(subject.viewer), format: format)
    }

    /// A library workout for a VDOT (`?vdot=52`); without one, at the reference VDOT the editor shows.
    @Sendable func library(_ request: Request, _ context: TenantContext, format: Format) async throws
        -> Response
    {
        let workout = try await deps.database.workout(context.scope, id: try request.id(context))
        let text = request.query("vdot")
        var vdot = PaceZones.referenceVDOT
        if !text.isEmpty {
            guard text.count <= 10, let value = NumberInput.decimal(text), let checked = try? VDOT(value) else {
                throw PageError(
                    status: .unprocessableContent, title: "That VDOT is not one we can use",
                    message: "Give a VDOT between 15 and 90 (the paces of the file are worked out from it).")
            }
            vdot = checked.value
        }
        let targets = WorkoutFileTargets(
            zones: PaceZones(vdotValue: vdot), heartRate: nil, units: context.scope.organization.units)
        return try file(workout.workout, date: nil, targets: targets, format: format)
    }

    /// The next seven days' workouts (today included), a FIT file each, zipped.
    @Sendable func sendToWatch(_ request: Request, context: AthleteContext) async throws -> Response {
        let subject = context.subject
        let today = subject.viewer.today
        let last = today.adding(days: Self.daysAhead - 1)
        let items = try await deps.database.schedule(
            context.tenant.scope, athleteId: subject.athlete.id, from: today, to: last
        ).map(\.0).filter { !$0.completed }
        guard !items.isEmpty else {
            throw PageError(
                status: .notFound, title: "Nothing to send",
                message: "There is no workout in your next \(Self.daysAhead) days.")
        }
        let archive = try Archive(data: Data(), accessMode: .create)
        let targets = Self.targets(subject.viewer)
        var names: Set<String> = []
        for item in items {
            var name = Self.fileName(item.date, item.workout.name, .fit)
            if names.contains(name) { name = "\(item.id)-" + name }
            names.insert(name)
            let bytes = Data(WorkoutFIT.encode(item.workout, targets: targets, created: deps.clock.now()))
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate,
                provider: { position, size in bytes.subdata(in: Int(position)..<Int(position) + size) })
        }
        let data = archive.data ?? Data()
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip",
                .contentDisposition: "attachment; filename=\"paceline-\(today)-next-\(Self.daysAhead)-days.zip\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
