import Foundation
import GRDB
import PacelineCore

/// What `paceline demo` created, for printing.
public struct DemoSummary: Sendable {
    public let organization: Organization
    public let logins: [(email: String, role: Role)]
    public let groups: [String]
    public let created: Bool
}

extension AppDatabase {
    public static let demoPassword = "paceline-demo"
    public static let demoGroupNames = ["Marathon squad", "5K beginners", "Track group"]

    /// Seeds an organization with the given slug: `admin@{slug}.test`, `coach1@…`, `coach2@…` and
    /// `athlete1@…` … `athleteN@…`, spread over three groups. Does nothing if the slug exists.
    public func seedDemo(slug: String, athletes count: Int, passwordHash: String, now: Date) async throws -> DemoSummary
    {
        let summary = try await writer.write { db -> DemoSummary in
            let domain = "\(slug).test"
            if let existing = try Organization.filter(Column("slug") == slug).fetchOne(db) {
                return DemoSummary(organization: existing, logins: [], groups: [], created: false)
            }
            let org = try Self.insertOrganization(
                db, name: "\(slug.prefix(1).uppercased() + slug.dropFirst()) Running Club", slug: slug, now: now)
            var logins: [(String, Role)] = []
            func add(_ local: String, _ name: String, _ role: Role) throws -> Int64 {
                let email = "\(local)@\(domain)"
                let user: User
                if let existing = try User.filter(Column("email") == email).fetchOne(db) {
                    user = existing
                } else {
                    user = try Self.insertUser(db, email: email, name: name, passwordHash: passwordHash, now: now)
                }
                try Self.addMembership(db, orgId: org.id, userId: user.id, role: role, now: now)
                logins.append((email, role))
                return user.id
            }
            _ = try add("admin", "Alex Admin", .admin)
            let coach1 = try add("coach1", "Casey Coach", .coach)
            let coach2 = try add("coach2", "Jordan Coach", .coach)
            var groupIds: [Int64] = []
            for (index, name) in Self.demoGroupNames.enumerated() {
                try GroupRecord(orgId: org.id, name: name, createdAt: now).insert(db)
                let groupId = db.lastInsertedRowID
                groupIds.append(groupId)
                // Casey coaches the marathon squad, Jordan the other groups ("My athletes" on the board).
                try CoachAssignmentRecord(
                    id: nil, orgId: org.id, coachUserId: index == 0 ? coach1 : coach2, athleteId: nil,
                    groupId: groupId, createdAt: now
                ).insert(db)
            }
            let firstNames = ["Sam", "Robin", "Kim", "Lee", "Noa", "Eli", "Ari", "Mika", "Jo", "Pat", "Dani", "Rene"]
            let lastNames = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Kowalski"]
            for i in stride(from: 1, through: count, by: 1) {
                let name =
                    "\(firstNames[(i - 1) % firstNames.count]) "
                    + "\(lastNames[(i - 1) / firstNames.count % lastNames.count])"
                let userId = try add("athlete\(i)", name, .athlete)
                let profiles = AthleteProfileRecord.scoped(toOrganization: org.id).filter(Column("user_id") == userId)
                guard let profileId = try profiles.fetchOne(db)?.id else { continue }
                // A plausible spread of fitness: VDOT 32–58.
                let vdot = 32.0 + Double((i * 7) % 27)
                try profiles.updateAll(
                    db, Column("vdot").set(to: vdot), Column("vdot_source").set(to: "demo estimate"),
                    Column("max_hr").set(to: 175 + i % 20), Column("resting_hr").set(to: 45 + i % 15))
                let group = groupIds[(i - 1) % groupIds.count]
                try GroupMemberRecord(orgId: org.id, groupId: group, athleteId: profileId, addedAt: now).insert(db)
                // Every other athlete also rides and swims: an FTP (raised once, six weeks ago), threshold heart
                // rates and a CSS from a swim test, so rides show watts and swims their pace per 100 m.
                if i % 2 == 1 {
                    let today = CalendarDate(now, timeZone: .gmt)
                    let values: [(String, Double, Int, String)] = [
                        ("ftp", 180 + Double((i * 13) % 90), -120, "entered"),
                        ("ftp", 190 + Double((i * 13) % 90), -42, "test"),
                        ("lthr_run", Double(162 + i % 14), -90, "test"),
                        ("lthr_bike", Double(155 + i % 14), -90, "test"),
                        ("css", 88 + Double((i * 11) % 40), -60, "test"),
                    ]
                    for (kind, value, days, source) in values {
                        try ThresholdRecord(
                            id: nil, orgId: org.id, athleteId: profileId, kind: kind, value: value,
                            validFrom: today.adding(days: days).description, source: source, createdBy: nil,
                            createdAt: now
                        ).insert(db)
                    }
                }
            }
            _ = try Self.addStarterWorkouts(db, orgId: org.id, createdBy: nil, now: now)
            try self.audit(db, scope: nil, userId: nil, action: "demo.seeded", detail: slug, now: now)
            return DemoSummary(organization: org, logins: logins, groups: Self.demoGroupNames, created: true)
        }
        if summary.created { try await seedDemoTraining(slug: slug, now: now) }
        return summary
    }

    /// Plans and history for a freshly seeded demo: a generated and a hand-built template, the
    /// generated one assigned to the first group from three weeks ago (one athlete paused, most
    /// past workouts done), and one athlete with a completed earlier plan.
    func seedDemoTraining(slug: String, now: Date) async throws {
        guard let admin = try await user(email: "coach1@\(slug).test"),
            let scope = try await resolveTenant(slug: slug, userId: admin.id)
        else { return }
        let today = CalendarDate(now, timeZone: .gmt)
        let generated = try PlanGenerator.generate(
            PlanRequest(
                raceDistanceMeters: 10_000, weeks: 12, vdot: 45, level: .intermediate, qualityDays: [.tue, .thu],
                longRunDay: .sun,
                restDays: [.mon, .fri], weeklyKm: 35, today: today)
        ).template
        let generatedId = try await createPlan(scope, generated, source: .generated, now: now)
        let library = Dictionary(StarterLibrary.workouts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var week = PlanWeek()
        week[.tue] = library["Easy run with strides"]
        week[.thu] = library["Tempo run 20 min"]
        week[.sat] = library["Easy run 40 min"]
        week[.sun] = library["Long run 90 min"]
        let manual = PlanTemplate(
            name: "Base building, 4 weeks", description: "Four steady weeks before a race-specific block.",
            level: .basic, weeks: Array(repeating: week, count: 4))
        let manualId = try await createPlan(scope, manual, source: .manual, now: now)
        // Other sports' plans, for the coach to assign: a sprint triathlon and a cycling event.
        for goal in [EnduranceGoal.sprintTriathlon, .cycling] {
            let plan = try PlanGenerator.generate(
                EndurancePlanRequest(
                    goal: goal, weeks: 10, hoursPerWeek: 7, level: .intermediate,
                    trainingDays: [.tue, .wed, .thu, .sat, .sun], longDay: .sat, qualityDays: [.tue, .thu],
                    ftp: goal == .cycling ? 240 : nil, eventKm: goal == .cycling ? 120 : nil, today: today)
            ).template
            _ = try await createPlan(scope, plan, source: .generated, now: now)
        }

        let groups = try await self.groups(scope)
        guard let squad = groups.first(where: { $0.name == Self.demoGroupNames[0] }) else { return }
        let members = try await group(scope, id: squad.id).members
        guard !members.isEmpty else { return }
        let started = today.mondayOfWeek.adding(days: -21)
        _ = try await assign(
            scope, templateId: generatedId, athleteIds: members.map(\.id), groupId: squad.id,
            placement: .start(started), now: now)
        try await writer.write { db in
            // Most past workouts done: a believable history.
            _ = try ScheduledWorkoutRecord.scoped(to: scope)
                .filter(ScheduledWorkoutRecord.Columns.date < today.description)
                .filter(literal: "id % 5 <> 0")  // one past workout in five left undone
                .updateAll(db, ScheduledWorkoutRecord.Columns.completedAt.set(to: now))
        }
        if let paused = members.first, let instance = try await instances(scope, athleteId: paused.id).first {
            try await transition(scope, instanceId: instance.id, .pause, today: today.adding(days: -3), now: now)
        }
        if members.count > 1 {
            let athlete = members[1]
            let result = try await assign(
                scope, templateId: manualId, athleteIds: [athlete.id], groupId: nil,
                placement: .start(started.adding(days: -35)), now: now)
            try await writer.write { db in
                let plans = PlanInstanceRecord.scoped(to: scope).filter(
                    PlanInstanceRecord.Columns.assignmentId == result.assignmentId)
                try ScheduledWorkoutRecord.scoped(to: scope)
                    .filter(
                        plans.select(PlanInstanceRecord.Columns.id).contains(ScheduledWorkoutRecord.Columns.instanceId)
                    )
                    .updateAll(db, ScheduledWorkoutRecord.Columns.completedAt.set(to: now))
            }
            _ = try await completeFinishedInstances(now: now)
        }
        try await seedDemoData(scope, members: members, today: today, now: now)
    }

    /// Watch data for the squad: the done workouts as activities (pace from the athlete's VDOT,
    /// heart rate to match), sixty days of morning check-ins, and one athlete coming down with a
    /// cold (three days of resting HR up and HRV down) so the engine has something to propose,
    /// and another with a hot day ahead.
    func seedDemoData(_ scope: TenantScope, members: [Athlete], today: CalendarDate, now: Date) async throws {
        for (n, member) in members.enumerated() {
            // Birth years from 26 to 61 years old: the masters among them start from a slower recovery prior.
            let born = CalendarDate(now, timeZone: .gmt).components.year - 26 - (n * 11) % 36
            try await writer.write { db in
                try AthleteProfileRecord.scoped(to: scope).filter(key: member.id).updateAll(
                    db, Column("birth_year").set(to: born))
            }
            let athlete = try await self.athlete(scope, id: member.id)
            let zones = PaceZones(vdotValue: athlete.vdot)
            let rest = Double(athlete.restingHR ?? 50), max = Double(athlete.maxHR ?? 185)
            var hardDays = Set<CalendarDate>()
            for (item, _) in try await schedule(
                scope, athleteId: athlete.id, from: today.adding(days: -60), to: today.adding(days: -1))
            where item.completed {
                if item.workout.subtype.isQuality || item.workout.kind == .long { hardDays.insert(item.date) }
                let totals = WorkoutTotals(item.workout.blocks, zones: zones)
                guard totals.durationSeconds > 0, let start = ISO8601.parse("\(item.date)T06:30:00Z") else { continue }
                let effort = item.workout.subtype.isQuality ? 0.8 : 0.68
                let wobble = Double((item.id % 7) - 3) / 100
                var entry = ActivityEntry(
                    sport: item.workout.sport, startTime: start, date: item.date,
                    distanceMeters: totals.distanceMeters * (1 + wobble), durationSeconds: totals.durationSeconds,
                    averageHeartRate: (rest + effort * (max - rest)).rounded(),
                    rpe: item.workout.subtype.isQuality ? 7 : 4,
                    source: .fit)
                // The watch's stride figures: steady, except the third athlete's left/right balance drifting
                // over the last four weeks (a sign the engine reads).
                let drifting = n == 2 && today.days(until: item.date) > -28
                let weeksIn = Double(28 + today.days(until: item.date)) / 7
                entry.mechanics = StrideMechanics(
                    cadenceVariation: 0.03 + Double(item.id % 5) / 1000,
                    asymmetry: 1.1 + Double(item.id % 3) / 10 + (drifting ? 0.45 * weeksIn : 0),
                    paceVariation: item.workout.subtype.isQuality ? nil : 0.04 + Double(item.id % 4) / 200)
                _ = try await importActivity(scope, athleteId: athlete.id, entry, file: nil, now: now)
            }
            // The second of the squad rides with a power meter too: last Saturday's ride held more than the FTP
            // allows for its best 20 minutes, so the engine proposes a new FTP from it.
            if n == 1, let ftp = athlete.thresholds(on: today).ftp,
                let start = ISO8601.parse("\(today.adding(days: -3))T08:00:00Z")
            {
                var ride = ActivityEntry(
                    sport: .bike, startTime: start, date: today.adding(days: -3), distanceMeters: 52_000,
                    durationSeconds: 5400, averageHeartRate: (rest + 0.65 * (max - rest)).rounded(), rpe: 7,
                    source: .fit)
                ride.averagePower = (ftp * 0.7).rounded()
                ride.normalizedPower = (ftp * 0.8).rounded()
                ride.bestPower20Minutes = (ftp * 1.1).rounded()
                _ = try await importActivity(scope, athleteId: athlete.id, ride, file: nil, now: now)
            }
            let coldStarts = n == members.count - 1 ? 2 : -1
            // Morning readings as a wearable gives them: ln rMSSD wanders day to day (an AR(1) walk around
            // the athlete's own baseline, ~8 % a day), dips the morning after a hard session, and resting
            // HR moves against it; a cold takes HRV down ~30 % and resting HR up ~8 bpm.
            var random = SplitMix64(seed: UInt64(n + 1) &* 0x9E37_79B9_7F4A_7C15)
            let baseline = log(52 + Double((n * 7) % 25))
            var walk = 0.0
            var checkIns: [CheckIn] = []
            for back in (0..<60).reversed() {
                let date = today.adding(days: -back)
                walk = 0.55 * walk + 0.07 * random.normal()
                let sick = back <= coldStarts
                let afterHard = hardDays.contains(date.adding(days: -1))
                let lnHRV = baseline + walk - (afterHard ? 0.07 : 0) - (sick ? 0.35 : 0)
                let hrv = (exp(lnHRV) * 10).rounded() / 10
                let heart = rest - (walk * 12).rounded() + (afterHard ? 1 : 0) + (sick ? 8 : 0)
                let sleep = ((7.3 + 0.45 * random.normal() - (sick ? 0.8 : 0)) * 4).rounded() / 4
                checkIns.append(
                    CheckIn(
                        date: date, hrvRMSSD: hrv, restingHR: Int(saturating: heart),
                        sleepHours: Swift.min(Swift.max(sleep, 4.5), 10),
                        sleepQuality: sick ? 2 : (sleep < 6.5 ? 3 : 4),
                        soreness: afterHard ? 3 : 2, stress: 2, ill: back == 0 && sick,
                        notes: sick ? "Scratchy throat" : ""))
            }
            try await saveCheckIns(scope, athleteId: athlete.id, checkIns, fromCSV: false, now: now)
        }
        // A heat wave on the way for one of the squad (not the paused one, not the one with a
        // cold): a hot forecast for the next run, so the coach also sees a heat proposal.
        if members.count > 3 {
            let athlete = members[2]
            let next = try await schedule(
                scope, athleteId: athlete.id, from: today.adding(days: 1), to: today.adding(days: 5)
            )
            .map(\.0).first { $0.workout.sport == .run }
            if let next {
                try await saveWeather(
                    scope, athleteId: athlete.id, [next.date: DayWeather(temperatureC: 30, dewPointC: 21)], now: now)
            }
        }
        // A work trip next week for the same athlete: the days away are re-planned ahead.
        if members.count > 3 {
            let monday = today.mondayOfWeek.adding(days: 7)
            try await writer.write { db in
                for offset in 2...3 {
                    try UnavailableDayRecord(
                        id: nil, orgId: scope.orgId, athleteId: members[2].id,
                        date: monday.adding(days: offset).description, reason: "Work trip", createdBy: nil,
                        createdAt: now
                    ).insert(db)
                }
            }
        }
        try await seedDemoComments(scope, members: members, today: today, now: now)
        _ = try await runEngineForAll(now: now)
        // The demo's events are its history: shown in the bell, never emailed when the server first starts.
        try await writer.write { db in
            _ = try NotificationRecord.scoped(to: scope).updateAll(db, Column("email_state").set(to: nil))
        }
    }

    /// Two conversations so a newcomer sees the loop at once: an athlete's note on yesterday's run with the
    /// coach's answer, and the athlete with a cold asking about today (not answered yet: new to the coach).
    func seedDemoComments(_ scope: TenantScope, members: [Athlete], today: CalendarDate, now: Date) async throws {
        guard members.count > 3 else { return }
        func athleteScope(_ athlete: Athlete) async throws -> TenantScope? {
            try await resolveTenant(slug: scope.organization.slug, userId: athlete.userId)
        }
        let runner = members[2]
        if let own = try await athleteScope(runner),
            let last = try await activities(scope, athleteId: runner.id, from: today.adding(days: -7), to: today).first
        {
            try await addComment(
                own, on: .activity(last.id),
                body: "Felt *heavy* on the last rep — warm and humid out. Is that the heat or me?",
                now: now.addingTimeInterval(-20 * 3600))
            try await addComment(
                scope, on: .activity(last.id),
                body: "The heat, mostly: your heart rate was normal for the pace. Run **by effort** on hot days — "
                    + "the plan shows heat-adjusted paces now.", now: now.addingTimeInterval(-18 * 3600))
        }
        let ill = members[3]
        if let own = try await athleteScope(ill),
            let next = try await schedule(scope, athleteId: ill.id, from: today, to: today.adding(days: 3)).first?.0
        {
            try await addComment(
                own, on: .workout(next.id), body: "Scratchy throat this morning. Should I still run this one?",
                now: now.addingTimeInterval(-2 * 3600))
        }
    }
}
