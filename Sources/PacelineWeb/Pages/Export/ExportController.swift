import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Data export: an athlete downloads everything of theirs; an admin, the whole organization.
struct ExportController {
    let deps: AppDependencies

    func addAthleteRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("export/mine", use: mine)
    }

    func addAdminRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("export/organization", use: organization)
    }

    static func slug(_ text: String) -> String { FileNames.slug(text, words: 6, fallback: "export") }

    func download(_ data: Data, name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "application/zip", .contentDisposition: "attachment; filename=\"\(name)\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    @Sendable func mine(_ request: Request, context: AthleteContext) async throws -> Response {
        let export = DataExport(deps: deps)
        let athlete = context.subject.athlete
        var files = try await export.athleteFiles(context.scope, athlete, folder: "")
        files.insert(.init(path: "README.txt", data: Data(DataExport.readme.utf8)), at: 0)
        context.logger.info("Data exported", metadata: ["athlete": "\(athlete.id)"])
        let today = CalendarDate(deps.clock.now(), timeZone: .gmt)
        return download(try DataExport.zip(files), name: "paceline-\(Self.slug(athlete.name))-\(today).zip")
    }

    struct PlanTemplateJSON: Encodable {
        let id: Int64, name: String, description: String, weeks: [PlanWeek]
    }

    struct LibraryJSON: Encodable {
        let id: Int64, workout: Workout
    }

    struct GroupJSON: Encodable {
        let id: Int64, name: String, athletes: [String]
    }

    @Sendable func organization(_ request: Request, context: TenantContext) async throws -> Response {
        let scope = context.scope, db = deps.database, export = DataExport(deps: deps)
        var files: [DataExport.File] = [
            .init(
                path: "README.txt",
                data: Data(
                    ("The organization's data from Paceline: members.csv, groups.json, library.json, plans.json, "
                        + "and a folder per athlete with what their own export holds.\n\n" + DataExport.readme).utf8)),
        ]
        let members = try await db.members(scope)
        files.append(
            .init(
                path: "members.csv",
                data: Data(
                    CSVWriter.table(
                        header: ["name", "email", "role", "joined"],
                        rows: members.map { [$0.name, $0.email, $0.role.rawValue, ISO8601.format($0.joinedAt)] }
                    ).utf8)))
        var groups: [GroupJSON] = []
        for group in try await db.groups(scope) {
            let detail = try await db.group(scope, id: group.id)
            groups.append(GroupJSON(id: group.id, name: group.name, athletes: detail.members.map(\.email)))
        }
        files.append(.init(path: "groups.json", data: try export.json(groups)))
        let library = try await db.workouts(scope).map { LibraryJSON(id: $0.id, workout: $0.workout) }
        files.append(.init(path: "library.json", data: try export.json(library)))
        var plans: [PlanTemplateJSON] = []
        for summary in try await db.plans(scope) {
            let plan = try await db.plan(scope, id: summary.id)
            plans.append(
                PlanTemplateJSON(
                    id: plan.id, name: plan.template.name, description: plan.template.description,
                    weeks: plan.template.weeks))
        }
        files.append(.init(path: "plans.json", data: try export.json(plans)))
        for athlete in try await db.athletes(scope) {
            let folder = "athletes/\(athlete.id)-\(Self.slug(athlete.name))/"
            files += try await export.athleteFiles(scope, athlete, folder: folder)
        }
        context.logger.info("Organization exported", metadata: ["files": "\(files.count)"])
        let today = CalendarDate(deps.clock.now(), timeZone: .gmt)
        return download(try DataExport.zip(files), name: "paceline-\(scope.organization.slug)-\(today).zip")
    }
}
