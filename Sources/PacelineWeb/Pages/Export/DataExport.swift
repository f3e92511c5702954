import Foundation
import PacelineCore
import PacelineStore
import ZIPFoundation

/// Everything of an athlete's, as files: JSON for programs, CSV in the import's columns (so the
/// activities and check-ins import back), and the original uploads. The organization's export is the
/// same for each athlete plus its members, groups, library and plans.
struct DataExport {
    let deps: AppDependencies

    struct File {
        let path: String
        let data: Data
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    struct ActivityJSON: Encodable {
        let id: Int64, date: String, startTime: Date?, sport: String, status: String
        let distanceMeters: Double?, durationSeconds: Double?, averageHeartRate: Double?, maxHeartRate: Double?
        let elevationGainMeters: Double?, rpe: Int?, feel: String?, notes: String, source: String
        let file: String?, scheduledWorkoutId: Int64?
    }

    struct CheckInJSON: Encodable {
        let date: String, hrvRMSSD: Double?, restingHR: Int?, sleepHours: Double?, sleepQuality: Int?
        let soreness: Int?, stress: Int?, ill: Bool, illnessNote: String, cyclePhase: String?, notes: String
    }

    struct PlanJSONExport: Encodable {
        struct Day: Encodable {
            let id: Int64, date: String, completed: Bool, workout: Workout
        }
        let id: Int64, name: String, status: String, firstDate: String?, lastDate: String?, workouts: [Day]
    }

    struct CommentJSON: Encodable {
        let on: String, id: Int64, author: String, body: String, createdAt: Date, editedAt: Date?
    }

    struct ProfileJSON: Encodable {
        let name: String, email: String, organization: String, vdot: Double?, maxHR: Int?, restingHR: Int?
        let units: String?, timeZone: String?, exportedAt: Date
    }

    func json(_ value: some Encodable) throws -> Data { try Self.encoder.encode(value) }

    /// One athlete's files under `folder` ("" for the athlete's own export).
    func athleteFiles(_ scope: TenantScope, _ athlete: Athlete, folder: String) async throws -> [File] {
        let db = deps.database, all = (CalendarDate.earliest, CalendarDate.latest)
        let activities = try await db.activities(
            scope, athleteId: athlete.id, from: all.0, to: all.1, limit: 1_000_000
        ).reversed()
        let checkIns = try await db.checkIns(scope, athleteId: athlete.id, from: all.0, to: all.1)
        var files: [File] = []
        func add(_ name: String, _ data: Data) { files.append(File(path: folder + name, data: data)) }
        add(
            "profile.json",
            try json(
                ProfileJSON(
                    name: athlete.name, email: athlete.email, organization: scope.organization.name,
                    vdot: athlete.vdot, maxHR: athlete.maxHR, restingHR: athlete.restingHR,
                    units: athlete.units?.rawValue, timeZone: athlete.timeZone, exportedAt: deps.clock.now())))
        add("activities.csv", Data(ActivityCSV.write(activities.map(\.entry)).utf8))
        add("checkins.csv", Data(CheckInCSV.write(checkIns).utf8))
        var activityJSON: [ActivityJSON] = []
        for item in activities {
            let e = item.entry
            var filePath: String?
            if item.fileId != nil, let original = try? await db.activityFile(scope, activityId: item.id) {
                let safe = original.name.filter { $0.isLetter || $0.isNumber || ".-_".contains($0) }
                filePath = "files/\(item.id)-\(safe.isEmpty ? "activity" : String(safe.suffix(80)))"
                add(filePath ?? "", original.content)
            }
            activityJSON.append(
                ActivityJSON(
                    id: item.id, date: e.date.description, startTime: e.startTime, sport: e.sport.rawValue,
                    status: e.status.rawValue, distanceMeters: e.distanceMeters, durationSeconds: e.durationSeconds,
                    averageHeartRate: e.averageHeartRate, maxHeartRate: e.maxHeartRate,
                    elevationGainMeters: e.elevationGain, rpe: e.rpe, feel: e.feel?.rawValue, notes: e.notes,
                    source: e.source.rawValue, file: filePath, scheduledWorkoutId: item.scheduledId))
        }
        add("activities.json", try json(activityJSON))
        add(
            "checkins.json",
            try json(
                checkIns.map {
                    CheckInJSON(
                        date: $0.date.description, hrvRMSSD: $0.hrvRMSSD, restingHR: $0.restingHR,
                        sleepHours: $0.sleepHours, sleepQuality: $0.sleepQuality, soreness: $0.soreness,
                        stress: $0.stress, ill: $0.ill, illnessNote: $0.illnessNote,
                        cyclePhase: $0.cyclePhase?.rawValue, notes: $0.notes)
                }))
        var plans: [PlanJSONExport] = []
        for plan in try await db.instances(scope, athleteId: athlete.id) {
            let detail = try await db.instance(scope, id: plan.id)
            plans.append(
                PlanJSONExport(
                    id: plan.id, name: plan.name, status: plan.state.status.rawValue,
                    firstDate: plan.firstDate?.description, lastDate: plan.lastDate?.description,
                    workouts: detail.items.map {
                        .init(id: $0.id, date: $0.date.description, completed: $0.completed, workout: $0.workout)
                    }))
        }
        add("plans.json", try json(plans))
        let comments = try await db.athleteComments(scope, athleteId: athlete.id).map { c -> CommentJSON in
            let (kind, id): (String, Int64) =
                switch c.target {
                case .workout(let id): ("workout", id)
                case .activity(let id): ("activity", id)
                }
            return CommentJSON(
                on: kind, id: id, author: c.author, body: c.body, createdAt: c.createdAt, editedAt: c.editedAt)
        }
        add("comments.json", try json(comments))
        return files
    }

    static let readme = """
        Your data from Paceline.

        profile.json      who you are in this organization, your VDOT and heart rates
        activities.csv    every activity, in the columns Paceline's CSV import reads (import it back as it is)
        activities.json   the same with every field, and the name of the original file in files/
        checkins.csv      every daily check-in, in the import's columns
        checkins.json     the same as JSON
        plans.json        your plans and each of their workouts (with the blocks)
        comments.json     the comments on your workouts and activities
        files/            the GPX, TCX and FIT files you uploaded, as they were

        """

    /// The files as a zip (deflated).
    static func zip(_ files: [File]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for file in files {
            let data = file.data
            try archive.addEntry(
                with: file.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        return archive.data ?? Data()
    }
}
