import Foundation
import OpenAPIRuntime
import PacelineAPI
import PacelineCore
import PacelineStore

/// The JSON API's operations (the protocol is generated from `Public/api/v1/openapi.json`). Each one
/// reads its member from `APICaller` — the bearer token's, resolved by `APIMiddleware` — and goes
/// through the same tenant-scoped store calls as the pages, so an id of another organization is
/// not found here either. This file: the member and the athlete's own training.
struct APIService: APIProtocol {
    typealias S = Components.Schemas
    let deps: AppDependencies

    var now: Date { deps.clock.now() }

    // MARK: The member

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let caller = try APICaller.get()
        let scope = caller.scope
        let own = try await deps.database.ownAthleteProfile(scope)
        return .ok(
            .init(
                body: .json(
                    S.Me(
                        user: .init(id: scope.user.id, name: scope.user.name, email: scope.user.email),
                        organization: .init(slug: scope.organization.slug, name: scope.organization.name),
                        role: S.Role(rawValue: scope.role.rawValue) ?? .athlete,
                        token: .init(
                            name: caller.token.name, scope: caller.token.scope == .write ? .write : .read,
                            expiresAt: caller.token.expiresAt),
                        athlete: own.map { APIRepresentation.athlete($0, organization: scope.organization) }))))
    }

    /// The token's member as an athlete: their profile and view settings. A coach without an athlete
    /// profile asks the coaching operations instead (403 says so).
    func ownAthlete() async throws -> (APICaller, AthleteSubject) {
        let caller = try APICaller.get()
        guard let athlete = try await deps.database.ownAthleteProfile(caller.scope) else {
            throw APIProblem.forbidden(
                "The token's member has no athlete profile here; coaches read athletes under /athletes/{id}.")
        }
        return (caller, AthleteSubject(athlete, scope: caller.scope, now: now))
    }

    /// Another athlete of the organization, for a coach.
    func coachedAthlete(_ id: Int64) async throws -> (APICaller, AthleteSubject) {
        let caller = try APICaller.get()
        try caller.requireCoach()
        let athlete = try await deps.database.athlete(caller.scope, id: id)
        return (caller, AthleteSubject(athlete, scope: caller.scope, now: now))
    }

    // MARK: Schedule

    func getSchedule(_ input: Operations.GetSchedule.Input) async throws -> Operations.GetSchedule.Output {
        let (caller, subject) = try await ownAthlete()
        return .ok(.init(body: .json(try await schedule(caller, subject, from: input.query.from, to: input.query.to))))
    }

    func getAthleteSchedule(_ input: Operations.GetAthleteSchedule.Input) async throws
        -> Operations.GetAthleteSchedule.Output
    {
        let (caller, subject) = try await coachedAthlete(input.path.id)
        return .ok(.init(body: .json(try await schedule(caller, subject, from: input.query.from, to: input.query.to))))
    }

    func schedule(_ caller: APICaller, _ subject: AthleteSubject, from: String?, to: String?) async throws
        -> S.Schedule
    {
        let first = try Self.day(from, field: "from") ?? subject.today
        let last = try Self.day(to, field: "to") ?? first.adding(days: 13)
        guard last >= first else { throw APIProblem.field("to", "The last day is before the first.") }
        guard first.adding(days: 91) >= last else { throw APIProblem.field("to", "Ask for at most 92 days at once.") }
        let items = try await deps.database.schedule(caller.scope, athleteId: subject.athlete.id, from: first, to: last)
        let words = subject.viewer.words
        return S.Schedule(
            athleteId: subject.athlete.id, from: first.description, to: last.description,
            workouts: items.map {
                APIRepresentation.scheduled($0.0, words: words, slug: caller.scope.organization.slug)
            })
    }

    static func day(_ text: String?, field: String) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let day = CalendarDate(text) else {
            throw APIProblem.field(field, "Write the day as YYYY-MM-DD.")
        }
        return day
    }

    // MARK: Activities

    func listActivities(_ input: Operations.ListActivities.Input) async throws -> Operations.ListActivities.Output {
        let (caller, subject) = try await ownAthlete()
        let page = try APIPage(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(try await activities(caller, subject, page))))
    }

    func listAthleteActivities(_ input: Operations.ListAthleteActivities.Input) async throws
        -> Operations.ListAthleteActivities.Output
    {
        let (caller, subject) = try await coachedAthlete(input.path.id)
        let page = try APIPage(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(try await activities(caller, subject, page))))
    }

    /// Newest first by day, then by id; the cursor is the last item's day and id.
    func activities(_ caller: APICaller, _ subject: AthleteSubject, _ page: APIPage) async throws -> S.ActivityPage {
        var before: (CalendarDate, Int64)?
        if let text = try page.position() {
            let parts = text.split(separator: "|")
            guard parts.count == 2, let day = CalendarDate(String(parts[0])), let id = Int64(parts[1]) else {
                throw APIPage.badCursor
            }
            before = (day, id)
        }
        let items = try await deps.database.activityPage(
            caller.scope, athleteId: subject.athlete.id, before: before, limit: page.limit + 1)
        let shown = Array(items.prefix(page.limit))
        let next = items.count > page.limit ? shown.last.map { APIPage.encode("\($0.entry.date)|\($0.id)") } : nil
        return S.ActivityPage(items: shown.map(APIRepresentation.activity), nextCursor: next)
    }

    func getActivity(_ input: Operations.GetActivity.Input) async throws -> Operations.GetActivity.Output {
        let caller = try APICaller.get()
        let item = try await visibleActivity(input.path.id, caller)
        return .ok(.init(body: .json(APIRepresentation.activity(item))))
    }

    /// An activity the member may see: their own, or any athlete's for coaches (else not found).
    func visibleActivity(_ id: Int64, _ caller: APICaller) async throws -> ActivityItem {
        let item = try await deps.database.activity(caller.scope, id: id)
        _ = try await AthleteAccess.subject(
            athleteId: item.athleteId, scope: caller.scope, database: deps.database, now: now)
        return item
    }

    func logActivity(_ input: Operations.LogActivity.Input) async throws -> Operations.LogActivity.Output {
        let (caller, subject) = try await ownAthlete()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("Send the activity as JSON.") }
        let entry = try APIActivityInput(body).entry(today: subject.today)
        var scheduledId: Int64?
        if let id = body.scheduledWorkoutId {
            guard let item = try? await deps.database.scheduledWorkout(caller.scope, id: id),
                item.athleteId == subject.athlete.id
            else { throw APIProblem.field("scheduled_workout_id", "No such planned workout of yours.") }
            scheduledId = item.id
        }
        let id = try await deps.database.logActivity(
            caller.scope, athleteId: subject.athlete.id, entry, scheduledId: scheduledId, activityId: nil, now: now)
        await deps.recompute(caller.scope, athleteId: subject.athlete.id, logger: caller.logger)
        let item = try await deps.database.activity(caller.scope, id: id)
        return .created(.init(body: .json(APIRepresentation.activity(item))))
    }

    func uploadActivity(_ input: Operations.UploadActivity.Input) async throws -> Operations.UploadActivity.Output {
        let (caller, subject) = try await ownAthlete()
        guard case .binary(let body) = input.body else { throw APIProblem.invalid("Send the file's bytes.") }
        let data = Data(try await [UInt8](collecting: body, upTo: APIMiddleware.fileLimit))
        let name = String(input.query.name.prefix(120))
        let entry = try APIActivityFile(name: name, data: data).entry(subject)
        let outcome = try await deps.database.importActivity(
            caller.scope, athleteId: subject.athlete.id, entry.entry,
            file: ActivityUpload(fileName: name, kind: entry.kind, content: data), now: now)
        switch outcome {
        case .imported(let id, _, _):
            await deps.recompute(caller.scope, athleteId: subject.athlete.id, logger: caller.logger)
            let item = try await deps.database.activity(caller.scope, id: id)
            return .created(.init(body: .json(APIRepresentation.activity(item))))
        case .duplicate(let id, _):
            let item = try await deps.database.activity(caller.scope, id: id)
            return .ok(.init(body: .json(APIRepresentation.activity(item))))
        }
    }

    // MARK: Check-ins

    func listCheckIns(_ input: Operations.ListCheckIns.Input) async throws -> Operations.ListCheckIns.Output {
        let (caller, subject) = try await ownAthlete()
        let page = try APIPage(limit: input.query.limit, cursor: input.query.cursor)
        var before: CalendarDate?
        if let text = try page.position() {
            guard let day = CalendarDate(text) else { throw APIPage.badCursor }
            before = day
        }
        let found = try await deps.database.checkInPage(
            caller.scope, athleteId: subject.athlete.id, before: before, limit: page.limit + 1)
        let shown = Array(found.prefix(page.limit))
        let next = found.count > page.limit ? shown.last.map { APIPage.encode($0.date.description) } : nil
        return .ok(.init(body: .json(S.CheckInPage(items: shown.map(APIRepresentation.checkIn), nextCursor: next))))
    }

    func saveCheckIn(_ input: Operations.SaveCheckIn.Input) async throws -> Operations.SaveCheckIn.Output {
        let (caller, subject) = try await ownAthlete()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("Send the check-in as JSON.") }
        guard let date = try Self.day(body.date, field: "date") else { throw APIProblem.field("date", "Required.") }
        if let problem = CheckIn.dateProblem(date, today: subject.today) {
            throw APIProblem.field("date", problem.message)
        }
        let stored = try await deps.database.checkIns(caller.scope, athleteId: subject.athlete.id, from: date, to: date)
        let merged = APICheckInInput(body).merged(into: stored.first ?? CheckIn(date: date))
        if let problem = merged.problems().first {
            throw APIProblem.field(APICheckInInput.field(problem.field), problem.message)
        }
        _ = try await deps.database.saveCheckIns(
            caller.scope, athleteId: subject.athlete.id, [merged], fromCSV: false, now: now)
        await deps.recompute(caller.scope, athleteId: subject.athlete.id, logger: caller.logger)
        return .ok(.init(body: .json(APIRepresentation.checkIn(merged))))
    }

    // MARK: Comments

    func listWorkoutComments(_ input: Operations.ListWorkoutComments.Input) async throws
        -> Operations.ListWorkoutComments.Output
    {
        .ok(.init(body: .json(try await comments(on: .workout(input.path.id)))))
    }

    func listActivityComments(_ input: Operations.ListActivityComments.Input) async throws
        -> Operations.ListActivityComments.Output
    {
        .ok(.init(body: .json(try await comments(on: .activity(input.path.id)))))
    }

    func addWorkoutComment(_ input: Operations.AddWorkoutComment.Input) async throws
        -> Operations.AddWorkoutComment.Output
    {
        guard case .json(let body) = input.body else { throw APIProblem.invalid("Send the comment as JSON.") }
        return .created(.init(body: .json(try await addComment(body.body, on: .workout(input.path.id)))))
    }

    func addActivityComment(_ input: Operations.AddActivityComment.Input) async throws
        -> Operations.AddActivityComment.Output
    {
        guard case .json(let body) = input.body else { throw APIProblem.invalid("Send the comment as JSON.") }
        return .created(.init(body: .json(try await addComment(body.body, on: .activity(input.path.id)))))
    }

    /// A thread the member may see (the store answers not found for others'); reading it marks it read.
    func comments(on target: CommentTarget) async throws -> S.CommentList {
        let caller = try APICaller.get()
        let thread = try await deps.database.comments(caller.scope, on: target)
        return S.CommentList(items: thread.map(APIRepresentation.comment))
    }

    func addComment(_ text: String, on target: CommentTarget) async throws -> S.Comment {
        let caller = try APICaller.get()
        do {
            let id = try await deps.database.addComment(caller.scope, on: target, body: text, now: now)
            let thread = try await deps.database.comments(caller.scope, on: target)
            guard let comment = thread.first(where: { $0.id == id }) else { throw APIProblem.notFound }
            return APIRepresentation.comment(comment)
        } catch StoreError.invalid(let message) {
            throw APIProblem.field("body", message)
        }
    }
}
