import Foundation
import GRDB
import PacelineCore

public enum AdaptationState: String, Sendable, Codable {
    case proposed, applied, rejected, undone
    /// The plan changed under a proposal before anyone decided: it can no longer apply.
    case stale

    public var label: String { rawValue.capitalized }
}

/// A proposal of the engine, as stored and shown.
public struct AdaptationRecord: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let athleteId: Int64
    public let athleteName: String
    public let kind: AdaptationKind
    public let title: String
    public let explanation: String
    public let changes: [PlanChange]
    public let state: AdaptationState
    public let createdAt: Date
    public let decidedAt: Date?
    public let decidedBy: String?
}

/// What the athlete and coach pages show of the engine: the state, the fitted model, readiness.
public struct AthleteModelView: Sendable {
    public let input: EngineInput
    public let state: AthleteState
    public let fit: BanisterFit?
    public let markers: [(date: CalendarDate, vdot: Double)]
    /// Planned load of the coming days, up to the next race or 14 days (the projection).
    public let plannedLoads: [Double]
    /// The next race on the athlete's plan: its day, distance and name.
    public let race: (date: CalendarDate, meters: Double, name: String)?
    public let autoApply: Bool
    public let sex: Sex?
    /// The priors the fit was pulled toward: the organization's, or 42/7.
    public let priors: EmpiricalPriors
}

extension AppDatabase {
    // MARK: Reading what the engine needs

    static func engineInput(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, today: CalendarDate
    ) throws -> EngineInput {
        let athlete = try athlete(db, scope, id: athleteId)
        let profile = try AthleteProfileRecord.scoped(to: scope).filter(key: athleteId).fetchOne(db)
        let sexText = profile?.sex
        let from = today.adding(days: -(Engine.historyDays - 1))
        let during: SQL = "a.athlete_id = \(athleteId) AND a.date BETWEEN \(from.description) AND \(today.description)"
        let activities = try db.rows(activitySQL(scope, where: during) + " ORDER BY a.date, a.id").compactMap(
            activityItem)
        let bySchedule = Dictionary(
            activities.compactMap { a in a.scheduledId.map { ($0, a.entry) } }, uniquingKeysWith: { a, _ in a })
        let checkIns = try Self.checkIns(db, scope, athleteId: athleteId, from: from, to: today)
        let schedule = try visibleSchedule(
            db, scope, athleteId: athleteId, from: today.adding(days: -28), to: today.adding(days: Engine.planAheadDays)
        ).map(\.0)
            .map {
                PlannedSession(
                    id: $0.id, date: $0.date, workout: $0.workout, done: bySchedule[$0.id],
                    ticked: $0.completed && bySchedule[$0.id] == nil)
            }
        let physiology = Physiology(
            sex: sexText.flatMap(Sex.init(rawValue:)), maxHR: athlete.maxHR.map(Double.init),
            restingHR: athlete.restingHR.map(Double.init), vdot: athlete.vdot, birthYear: profile?.birthYear,
            thresholdHistory: athlete.thresholdHistory)
        let weather = try weather(
            db, scope, athleteId: athleteId, from: today.adding(days: -28), to: today.adding(days: 14))
        let away = try String.fetchAll(
            db,
            UnavailableDayRecord.scoped(to: scope).forAthlete(athleteId)
                .filter(UnavailableDayRecord.Columns.date >= today.description)
                .select(UnavailableDayRecord.Columns.date))
        return EngineInput(
            today: today, physiology: physiology, activities: activities.map(\.entry), checkIns: checkIns,
            schedule: schedule,
            weather: weather, unavailable: Set(away.compactMap(CalendarDate.init)))
    }

    /// The athlete's engine input with the Banister fit: fitness and fatigue then use the
    /// athlete's own time constants when the fit is confident (pulled toward the organization's
    /// priors), else 42/7. With fewer than six markers the fitter keeps τ at the priors (they are
    /// not identifiable), so `tau` stays nil.
    static func fittedInput(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, today: CalendarDate
    )
        throws -> (
            input: EngineInput, fit: BanisterFit?, markers: [(date: CalendarDate, vdot: Double)],
            priors: EmpiricalPriors
        )
    {
        let priors = try organizationPriors(db, scope)
        let (input, fit) = Engine.fitted(
            try engineInput(db, scope, athleteId: athleteId, today: today), priors: priors)
        let markers = Engine.markers(input)
        return (input, fit, markers, priors)
    }

    static func today(_ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, now: Date) throws -> CalendarDate {
        let zone =
            try db.row(
                "SELECT p.time_zone FROM athlete_profile p WHERE \(scope.owns("p")) AND p.id = \(athleteId)"
            )?["time_zone"] as String?
        return CalendarDate(now, timeZone: TimeZones.zone(scope.organization.timeZone(of: zone)))
    }

    /// The engine's view of one athlete for the pages: state, fitted model, markers, projection.
    public func athleteModel(_ scope: TenantScope, athleteId: Int64, now: Date) async throws -> AthleteModelView {
        try await writer.read { db in
            let today = try Self.today(db, scope, athleteId: athleteId, now: now)
            let (input, fit, markers, priors) = try Self.fittedInput(db, scope, athleteId: athleteId, today: today)
            let state = Engine.state(input)
            let zones = PaceZones(vdotValue: input.physiology.vdot)
            let ahead = try Self.visibleSchedule(
                db, scope, athleteId: athleteId, from: today.adding(days: 1), to: today.adding(days: 240)
            ).map(\.0)
            let raceItem = ahead.first { $0.workout.subtype == .race }
            let raceMeters = raceItem.map { item in
                item.workout.targetDistanceMeters ?? WorkoutTotals(item.workout.blocks, zones: zones).distanceMeters
            }
            let horizon = max(14, raceItem.map { today.days(until: $0.date) } ?? 0)
            var planned = [Double](repeating: 0, count: horizon)
            for item in ahead {
                let offset = today.days(until: item.date) - 1
                if offset >= 0 && offset < horizon { planned[offset] += Load.planned(item.workout, zones: zones).value }
            }
            let race = raceItem.flatMap { item in
                raceMeters.flatMap { $0 > 0 ? (item.date, $0, item.workout.name) : nil }
            }
            let profile = try AthleteProfileRecord.scoped(to: scope).filter(key: athleteId).fetchOne(db)
            return AthleteModelView(
                input: input, state: state, fit: fit, markers: markers, plannedLoads: planned, race: race,
                autoApply: profile?.autoApply ?? false, sex: profile?.sex.flatMap(Sex.init(rawValue:)),
                priors: priors)
        }
    }

    // MARK: Learning across athletes

    static func organizationPriors(_ db: StoreConnection, _ scope: TenantScope) throws -> EmpiricalPriors {
        guard let model = try OrganizationModelRecord.scoped(to: scope).fetchOne(db) else { return .population }
        return EmpiricalPriors(tau1: model.tau1, tau2: model.tau2, athletes: model.athletes)
    }

    /// Fits every athlete of the organization with enough markers (toward 42/7, so no athlete's
    /// prior is built from the others' priors) and stores the pooled priors. Part of the nightly run.
    @discardableResult
    static func refreshOrganizationPriors(
        _ db: StoreConnection, _ scope: TenantScope, athleteIds: [Int64], now: Date
    ) throws -> EmpiricalPriors {
        var fits: [BanisterFit] = []
        for athleteId in athleteIds {
            let today = try today(db, scope, athleteId: athleteId, now: now)
            let input = try engineInput(db, scope, athleteId: athleteId, today: today)
            let found = Engine.markers(input)
            guard found.count >= BanisterFitter.minimumMarkers else { continue }
            let start = today.adding(days: -(Engine.historyDays - 1))
            let loads = Engine.dailyLoads(input).loads
            if let fit = BanisterFitter.fit(
                loads: loads, markers: found.map { PerformanceMarker(day: start.days(until: $0.date), value: $0.vdot) })
            {
                fits.append(fit)
            }
        }
        let priors = EmpiricalPriors.from(fits)
        // One row per organization (its primary key): saving replaces last night's.
        try OrganizationModelRecord(
            orgId: scope.orgId, tau1: priors.tau1, tau2: priors.tau2, athletes: priors.athletes,
            computedAt: now
        ).save(db)
        return priors
    }

    // MARK: Running the engine

    /// Recomputes one athlete and stores what the rules propose that was never proposed before
    /// (idempotent: the same situation has the same fingerprint). With auto-apply on, applies them.
    /// One transaction per athlete: a crash leaves every athlete either done or untouched.
    @discardableResult
    /// One athlete's engine run (after new data). The year of data it models is read from a snapshot
    /// on a reader, beside the requests' writes, so the writer — one for the whole database — is held
    /// only to decide and write. A change that lands between the two asks for its own run, which comes
    /// after this one. With auto-apply (changes applied in up to three passes) everything is read in
    /// the writer, as the nightly run does.
    public func runEngine(_ scope: TenantScope, athleteId: Int64, now: Date) async throws -> Int {
        let prepared = try await writer.read { db -> EngineInput? in
            let autoApply =
                try AthleteProfileRecord.scoped(to: scope).filter(key: athleteId).fetchOne(db)?.autoApply ?? false
            guard !autoApply else { return nil }
            let today = try Self.today(db, scope, athleteId: athleteId, now: now)
            return try Self.fittedInput(db, scope, athleteId: athleteId, today: today).input
        }
        return try await writer.write { db in
            try Self.runEngine(db, scope, athleteId: athleteId, now: now, prepared: prepared)
        }
    }

    @discardableResult
    static func runEngine(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, now: Date, prepared: EngineInput? = nil
    ) throws -> Int {
        let today = try today(db, scope, athleteId: athleteId, now: now)
        let autoApply =
            try AthleteProfileRecord.scoped(to: scope).filter(key: athleteId).fetchOne(db)?.autoApply ?? false
        var created = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // With auto-apply, an applied change can open the way for another (a session replaced by
        // one rule then gets its hot day's paces): look again, a bounded number of times.
        for pass in 0..<(autoApply ? 3 : 1) {
            let snapshot = pass == 0 && !autoApply ? prepared.flatMap { $0.today == today ? $0 : nil } : nil
            let input = try snapshot ?? fittedInput(db, scope, athleteId: athleteId, today: today).input
            if pass == 0 {
                // Readiness as of this run, for the coach's board (one row read instead of an engine run).
                // Without a check-in or an activity in the last two weeks it is not known — not "green".
                let recent = today.adding(days: -14)
                let hasData =
                    input.checkIns.contains { $0.date >= recent } || input.activities.contains { $0.date >= recent }
                let state = Engine.state(input)
                let profileRow = try db.row(
                    """
                    SELECT p.readiness, p.readiness_reason FROM athlete_profile p
                    WHERE \(scope.owns("p")) AND p.id = \(athleteId)
                    """)
                let before: String? = profileRow?["readiness"]
                if hasData, state.readiness == .red, before != ReadinessLevel.red.rawValue {
                    let name = try athletePerson(db, scope, id: athleteId).name
                    try notify(
                        db, orgId: scope.orgId, users: try coachesOf(db, orgId: scope.orgId, athleteId: athleteId),
                        except: nil, kind: .readinessRed,
                        title: "\(name): readiness red — " + (state.reasons.first ?? ""),
                        link: .athleteForm(athleteId), dedupe: "red:\(athleteId):\(today)", now: now)
                }
                // Written only when it changed: a run that finds nothing new writes nothing (no flush, and
                // the organization's cached pages stay good).
                let readiness = hasData ? state.readiness.rawValue : nil
                let reason = hasData ? state.reasons.first : nil
                if before != readiness || (profileRow?["readiness_reason"] as String?) != reason {
                    try AthleteProfileRecord.scoped(to: scope).filter(key: athleteId).updateAll(
                        db, Column("readiness").set(to: readiness), Column("readiness_reason").set(to: reason))
                }
                try notifyMissedKeySessions(
                    db, scope, athleteId: athleteId, zones: PaceZones(vdotValue: input.physiology.vdot), today: today,
                    now: now)
            }
            guard !input.schedule.isEmpty || input.physiology.vdot != nil else { return created }
            let stored = try Dictionary(
                AdaptationRowRecord.scoped(to: scope).forAthlete(athleteId).fetchAll(db)
                    .map { ($0.fingerprint, $0.state) }, uniquingKeysWith: { a, _ in a })
            let settled = Set(stored.filter { $0.value != AdaptationState.proposed.rawValue }.keys)
            var applied = 0
            for proposal in Engine.proposals(input, state: Engine.state(input), settled: settled)
            where stored[proposal.fingerprint] == nil {
                let instanceId = try proposal.changes.lazy.compactMap(\.scheduledId).compactMap { id in
                    try ScheduledWorkoutRecord.scoped(to: scope).filter(key: id).fetchOne(db)?.instanceId
                }.first
                try AdaptationRowRecord(
                    id: nil, orgId: scope.orgId, athleteId: athleteId, instanceId: instanceId,
                    kind: proposal.kind.rawValue,
                    fingerprint: proposal.fingerprint, title: proposal.title, explanation: proposal.explanation,
                    changesJson: String(decoding: try encoder.encode(proposal.changes), as: UTF8.self), undoJson: nil,
                    state: AdaptationState.proposed.rawValue, createdAt: now, decidedAt: nil, decidedBy: nil
                ).insert(db)
                let id = db.lastInsertedRowID
                created += 1
                try notify(
                    db, orgId: scope.orgId, users: try coachesOf(db, orgId: scope.orgId, athleteId: athleteId),
                    except: nil, kind: .proposal,
                    title: "\(try athlete(db, scope, id: athleteId).name): \(proposal.title)",
                    link: .athleteForm(athleteId), dedupe: "proposal:\(id)", now: now)
                if autoApply, try apply(db, scope, id: id, now: now, by: .paceline) == nil { applied += 1 }
            }
            if applied == 0 { break }
        }
        return created
    }

    /// Every athlete of every organization (the nightly run). Returns (athletes, new proposals).
    /// A quality session of the last three days that is neither done nor logged as skipped: its
    /// athlete's coaches are told once (in the app; the daily digest lists it too).
    static func notifyMissedKeySessions(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, zones: PaceZones?, today: CalendarDate, now: Date
    ) throws {
        let days = (from: today.adding(days: -3), to: today.adding(days: -1))
        let missed = try visibleSchedule(db, scope, athleteId: athleteId, from: days.from, to: days.to)
            .map(\.0).filter { item in
                let outcome = item.sessionOutcome(zones: zones)
                return item.workout.kind != .easy && outcome.status == nil && !outcome.isDone
            }
        guard !missed.isEmpty else { return }
        let name = try athlete(db, scope, id: athleteId).name
        let coaches = try coachesOf(db, orgId: scope.orgId, athleteId: athleteId)
        for item in missed {
            try notify(
                db, orgId: scope.orgId, users: coaches, except: nil, kind: .missedKey,
                title: "\(name) missed \(item.workout.name) (\(Weekday(item.date).label) \(item.date))",
                link: .workout(item.id), dedupe: "missed:\(item.id)", now: now)
        }
    }

    public func runEngineForAll(now: Date) async throws -> (athletes: Int, proposals: Int) {
        let athletes = try await writer.read { db in
            try db.rows(
                sql: """
                    SELECT p.id, p.org_id, m.user_id FROM athlete_profile p
                    JOIN membership m ON m.org_id = p.org_id AND m.user_id = p.user_id AND m.role = 'athlete'
                    """
            ).map { (id: $0["id"] as Int64, org: $0["org_id"] as Int64, user: $0["user_id"] as Int64) }
        }
        var proposals = 0
        for athlete in athletes {
            proposals += try await writer.write { db in
                guard let org = try Organization.fetchOne(db, key: athlete.org),
                    let user = try User.fetchOne(db, key: athlete.user)
                else { return 0 }
                return try Self.runEngine(
                    db, TenantScope(organization: org, user: user, role: .athlete), athleteId: athlete.id, now: now)
            }
        }
        // Then each organization's priors, from its athletes' own fits.
        for (orgId, members) in Dictionary(grouping: athletes, by: \.org) {
            try await writer.write { db in
                guard let first = members.first, let org = try Organization.fetchOne(db, key: orgId),
                    let user = try User.fetchOne(db, key: first.user)
                else { return }
                try Self.refreshOrganizationPriors(
                    db, TenantScope(organization: org, user: user, role: .athlete), athleteIds: members.map(\.id),
                    now: now)
            }
        }
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO background_run (name, finished_at) VALUES ('engine', ?)
                    ON CONFLICT(name) DO UPDATE SET finished_at = excluded.finished_at
                    """, arguments: [now])
        }
        return (athletes.count, proposals)
    }

    /// When the engine's run over every athlete last finished (nil: never).
    public func lastEngineRunForAll() async throws -> Date? {
        try await writer.read { db in
            try Date.fetchOne(db, sql: "SELECT finished_at FROM background_run WHERE name = 'engine'")
        }
    }

    // MARK: Decisions

    static func adaptation(_ row: Row) -> AdaptationRecord? {
        let changesJSON: String = row["changes_json"]
        guard let kind = AdaptationKind(rawValue: row["kind"] ?? ""),
            let state = AdaptationState(rawValue: row["state"] ?? ""),
            let changes = try? JSONDecoder().decode([PlanChange].self, from: Data(changesJSON.utf8))
        else { return nil }
        return AdaptationRecord(
            id: row["id"], athleteId: row["athlete_id"], athleteName: row["athlete_name"] ?? "", kind: kind,
            title: row["title"],
            explanation: row["explanation"], changes: changes, state: state, createdAt: row["created_at"],
            decidedAt: row["decided_at"], decidedBy: row["decided_by_name"])
    }

    /// Adaptations of the organization with the athlete's name and who decided, where `condition`.
    static func adaptationSQL(_ scope: TenantScope, where condition: SQL) -> SQL {
        """
        SELECT a.*, u.name AS athlete_name, d.name AS decided_by_name FROM adaptation a
        JOIN athlete_profile p ON p.id = a.athlete_id JOIN user u ON u.id = p.user_id LEFT JOIN user d
        ON d.id = a.decided_by
        WHERE \(scope.owns("a")) AND \(condition)
        """
    }

    /// Adaptations of the organization (or one athlete), newest first.
    public func adaptations(
        _ scope: TenantScope, athleteId: Int64? = nil, states: [AdaptationState]? = nil, limit: Int = 50
    ) async throws -> [AdaptationRecord] {
        try await writer.read { db in
            var condition: SQL = "TRUE"
            if let athleteId { condition += " AND a.athlete_id = \(athleteId)" }
            if let states { condition += " AND a.state IN \(states.map(\.rawValue))" }
            return try db.rows(
                Self.adaptationSQL(scope, where: condition) + " ORDER BY a.created_at DESC, a.id DESC LIMIT \(limit)"
            )
            .compactMap(Self.adaptation)
        }
    }

    public func adaptation(_ scope: TenantScope, id: Int64) async throws -> AdaptationRecord {
        try await writer.read { db in
            try Self.adaptationRecord(db, scope, id: id)
        }
    }

    public func decideAdaptation(_ scope: TenantScope, id: Int64, accept: Bool, now: Date) async throws {
        let problem: String? = try await writer.write { db in
            let record = try Self.adaptationRecord(db, scope, id: id)
            guard record.state == .proposed else {
                throw StoreError.invalid("This change was already \(record.state.rawValue).")
            }
            var problem: String?
            if accept {
                problem = try Self.apply(db, scope, id: id, now: now, by: .member)
            } else {
                try Self.settle(db, scope, id: id, as: .rejected, now: now, by: .member)
            }
            // What waited on this decision (a hot day's paces for the same session) is proposed now.
            if problem == nil { try Self.runEngine(db, scope, athleteId: record.athleteId, now: now) }
            return problem
        }
        if let problem { throw StoreError.invalid(problem) }
    }

    static func adaptationRecord(_ db: StoreConnection, _ scope: TenantScope, id: Int64) throws -> AdaptationRecord {
        guard let row = try db.row(adaptationSQL(scope, where: "a.id = \(id)")), let record = adaptation(row) else {
            throw StoreError.notFound
        }
        return record
    }

    /// A proposal's new state, with when and by whom it was decided (stale ones keep theirs).
    static func settle(
        _ db: StoreConnection, _ scope: TenantScope, id: Int64, as state: AdaptationState, now: Date,
        by author: EventAuthor, undo: String? = nil
    ) throws {
        let request = AdaptationRowRecord.scoped(to: scope).filter(key: id)
        if state == .stale {
            try request.updateAll(db, AdaptationRowRecord.Columns.state.set(to: state.rawValue))
            return
        }
        var assignments = [
            AdaptationRowRecord.Columns.state.set(to: state.rawValue),
            AdaptationRowRecord.Columns.decidedAt.set(to: now),
            AdaptationRowRecord.Columns.decidedBy.set(to: author == .member ? scope.user.id : nil),
        ]
        if let undo { assignments.append(AdaptationRowRecord.Columns.undoJson.set(to: undo)) }
        try request.updateAll(db, assignments: assignments)
    }

    /// Row states saved at apply time, so undo can put them back.
    struct UndoRow: Codable {
        let id: Int64
        let instanceId: Int64
        let date: String
        let workoutJSON: String
        let uid: String
    }
    struct UndoState: Codable {
        var rows: [UndoRow] = []
        var vdot: Double?
        var vdotSource: String?
        var vdotDate: String?
        var vdotChanged = false
        /// Detected thresholds applied (absent in the undo state of proposals applied before they existed).
        var thresholds: [ThresholdUndo]?
    }

    /// Applies a proposal to the plan instance (never the template), checking first that every
    /// session is still as the proposal saw it; otherwise the proposal is marked stale.
    /// Returns nil when applied, else why not (the proposal is then marked stale and the plan is unchanged).
    @discardableResult
    static func apply(
        _ db: StoreConnection, _ scope: TenantScope, id: Int64, now: Date, by author: EventAuthor
    ) throws -> String? {
        let record = try adaptationRecord(db, scope, id: id)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var undo = UndoState()
        func current(_ scheduledId: Int64) throws -> Row? {
            try db.row(
                """
                SELECT s.*, i.status FROM scheduled_workout s JOIN plan_instance i ON i.id = s.instance_id
                WHERE \(scope.owns("s")) AND s.id = \(scheduledId) AND i.status IN ('active', 'paused')
                """)
        }
        let days = ScheduledWorkoutRecord.scoped(to: scope)
        func stale() throws -> Never {
            throw StoreError.invalid("The plan changed since this was proposed; it was not applied.")
        }
        do {
            for change in record.changes {
                switch change {
                case .replace(let sid, let date, let before, let after):
                    guard let row = try current(sid), row["date"] == date.description,
                        WorkoutJSONCache.shared.workout(row["workout_json"]) == before
                    else { try stale() }
                    undo.rows.append(
                        UndoRow(
                            id: sid, instanceId: row["instance_id"], date: row["date"],
                            workoutJSON: row["workout_json"], uid: row["uid"]))
                    try days.filter(key: sid).updateAll(
                        db,
                        ScheduledWorkoutRecord.Columns.workoutJson.set(
                            to: String(decoding: try encoder.encode(after), as: UTF8.self)),
                        ScheduledWorkoutRecord.Columns.sequence += 1,
                        ScheduledWorkoutRecord.Columns.updatedAt.set(to: now))
                case .move(let sid, let from, let to, _):
                    guard let row = try current(sid), row["date"] == from.description else { try stale() }
                    undo.rows.append(
                        UndoRow(
                            id: sid, instanceId: row["instance_id"], date: row["date"],
                            workoutJSON: row["workout_json"], uid: row["uid"]))
                    try Self.moveDay(db, scope, scheduledId: sid, to: to, now: now)
                case .drop(let sid, let date, _):
                    guard let row = try current(sid), row["date"] == date.description else { try stale() }
                    undo.rows.append(
                        UndoRow(
                            id: sid, instanceId: row["instance_id"], date: row["date"],
                            workoutJSON: row["workout_json"], uid: row["uid"]))
                    try days.filter(key: sid).deleteAll(db)
                case .setVDOT(let from, let to):
                    guard
                        let profile = try AthleteProfileRecord.scoped(to: scope).filter(key: record.athleteId).fetchOne(
                            db),
                        let vdot = profile.vdot, abs(vdot - from) < 0.05
                    else { try stale() }
                    undo.vdot = vdot; undo.vdotSource = profile.vdotSource; undo.vdotDate = profile.vdotDate;
                    undo.vdotChanged = true
                    try Self.setVDOT(
                        db, scope, athleteId: record.athleteId, vdot: to, source: "adaptive engine",
                        date: CalendarDate(now, timeZone: .gmt).description)
                case .setThreshold(let kind, let from, let to, let day):
                    guard
                        let added = try Self.applyDetectedThreshold(
                            db, scope, athleteId: record.athleteId, kind: kind, from: from, to: to, validFrom: day,
                            now: now)
                    else { try stale() }
                    undo.thresholds = (undo.thresholds ?? []) + [added]
                }
            }
        } catch StoreError.invalid(let message) {
            // Nothing of this proposal stays applied: the transaction's earlier updates are undone by hand.
            try restore(db, undo, athleteId: record.athleteId, scope: scope, now: now)
            try settle(db, scope, id: id, as: .stale, now: now, by: author)
            return message
        }
        try settle(
            db, scope, id: id, as: .applied, now: now, by: author,
            undo: String(decoding: try encoder.encode(undo), as: UTF8.self))
        // Other pending proposals about the same sessions can no longer apply as they stand: stale now.
        let touched = Set(record.changes.compactMap(\.scheduledId))
        let pending = try AdaptationRowRecord.scoped(to: scope).forAthlete(record.athleteId)
            .filter(
                AdaptationRowRecord.Columns.state == AdaptationState.proposed.rawValue
                    && AdaptationRowRecord.Columns.id != id
            )
            .fetchAll(db)
        for other in pending {
            let changes = (try? JSONDecoder().decode([PlanChange].self, from: Data(other.changesJson.utf8))) ?? []
            if let otherId = other.id, changes.contains(where: { $0.scheduledId.map(touched.contains) ?? false }) {
                try settle(db, scope, id: otherId, as: .stale, now: now, by: author)
            }
        }
        // The athlete is told — also when their own check-in ran the engine that applied it (auto-apply: the
        // change is Paceline's, not theirs).
        if let athleteUser = try athleteUserId(db, orgId: scope.orgId, athleteId: record.athleteId) {
            try notify(
                db, orgId: scope.orgId, users: [athleteUser], except: author == .paceline ? nil : scope.user.id,
                kind: .planChanged,
                title: "Your plan changed: \(record.title)", link: .athleteForm(record.athleteId),
                dedupe: "applied:\(id)", now: now)
        }
        for instanceId in Set(undo.rows.map(\.instanceId)) {
            try bumpVersion(db, scope, instanceId: instanceId)
            try recordEvent(
                db, scope, instanceId: instanceId, action: "adapted", detail: record.title, now: now, by: author)
        }
        return nil
    }

    static func restore(
        _ db: StoreConnection, _ undo: UndoState, athleteId: Int64, scope: TenantScope, now: Date
    ) throws {
        let days = ScheduledWorkoutRecord.scoped(to: scope)
        for row in undo.rows.reversed() {
            let restored = try days.filter(key: row.id).updateAll(
                db, ScheduledWorkoutRecord.Columns.date.set(to: row.date),
                ScheduledWorkoutRecord.Columns.workoutJson.set(to: row.workoutJSON),
                ScheduledWorkoutRecord.Columns.sequence += 1, ScheduledWorkoutRecord.Columns.updatedAt.set(to: now))
            if restored == 0 {
                // A dropped session comes back with its id and UID (calendar clients see it again).
                try ScheduledWorkoutRecord(
                    id: row.id, orgId: scope.orgId, instanceId: row.instanceId, date: row.date,
                    workoutJson: row.workoutJSON, completedAt: nil, uid: row.uid, sequence: 1,
                    updatedAt: now
                ).insert(db)
            }
        }
        if undo.vdotChanged {
            try setVDOT(db, scope, athleteId: athleteId, vdot: undo.vdot, source: undo.vdotSource, date: undo.vdotDate)
        }
        for threshold in (undo.thresholds ?? []).reversed() {
            try undoDetectedThreshold(db, scope, athleteId: athleteId, threshold)
        }
    }

    /// Puts the plan back as it was before an applied change — only while every session it
    /// changed is still as the change left it. A session edited since (by the coach, another
    /// proposal, a move) would lose that edit to the undo, so the undo is refused and nothing changes.
    public func undoAdaptation(_ scope: TenantScope, id: Int64, now: Date) async throws {
        try await writer.write { db in
            let record = try Self.adaptationRecord(db, scope, id: id)
            guard record.state == .applied,
                let json = try AdaptationRowRecord.scoped(to: scope).filter(key: id).fetchOne(db)?.undoJson,
                let undo = try? JSONDecoder().decode(UndoState.self, from: Data(json.utf8))
            else {
                throw StoreError.invalid("Only an applied change can be undone.")
            }
            if let edited = try Self.editedSinceApplied(db, scope, record, undo: undo) {
                throw StoreError.invalid(
                    "\(edited) was changed after this was applied; undoing would overwrite that change. "
                        + "Edit the plan by hand instead.")
            }
            try Self.restore(db, undo, athleteId: record.athleteId, scope: scope, now: now)
            try Self.settle(db, scope, id: id, as: .undone, now: now, by: .member)
            for instanceId in Set(undo.rows.map(\.instanceId)) {
                try Self.bumpVersion(db, scope, instanceId: instanceId)
                try Self.recordEvent(
                    db, scope, instanceId: instanceId, action: "adaptation undone", detail: record.title, now: now)
            }
        }
    }

    /// The first thing an applied proposal changed that is no longer as it left it, in words; nil when all is.
    static func editedSinceApplied(
        _ db: StoreConnection, _ scope: TenantScope, _ record: AdaptationRecord, undo undoState: UndoState
    ) throws -> String? {
        func row(_ scheduledId: Int64) throws -> ScheduledWorkoutRecord? {
            try ScheduledWorkoutRecord.scoped(to: scope).filter(key: scheduledId).fetchOne(db)
        }
        var thresholdsAdded = (undoState.thresholds ?? [])[...]
        for change in record.changes {
            switch change {
            case .replace(let sid, let date, _, let after):
                guard let current = try row(sid), current.date == date.description,
                    WorkoutJSONCache.shared.workout(current.workoutJson) == after
                else { return "The session of \(date)" }
            case .move(let sid, _, let to, let name):
                guard let current = try row(sid), current.date == to.description else {
                    return "\(name) (moved to \(to))"
                }
            case .drop(let sid, let date, let before):
                if try row(sid) != nil { return "\(before.name) of \(date)" }
            case .setVDOT(_, let to):
                let vdot = try AthleteProfileRecord.scoped(to: scope).filter(key: record.athleteId).fetchOne(db)?.vdot
                guard let vdot, abs(vdot - to) < 0.05 else { return "The athlete's VDOT" }
            case .setThreshold(let kind, _, let to, _):
                guard let added = thresholdsAdded.popFirst(),
                    try detectedThresholdStands(db, scope, athleteId: record.athleteId, id: added.addedId, value: to)
                else { return "The athlete's \(kind.label)" }
            }
        }
        return nil
    }

    public func setAthleteEngineSettings(
        _ scope: TenantScope, athleteId: Int64, autoApply: Bool, sex: Sex?, birthYear: Int? = nil
    ) async throws {
        try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            try AthleteProfileRecord.scoped(to: scope).filter(key: athleteId).updateAll(
                db, Column("auto_apply").set(to: autoApply), Column("sex").set(to: sex?.rawValue),
                Column("birth_year").set(to: birthYear))
        }
    }
}
