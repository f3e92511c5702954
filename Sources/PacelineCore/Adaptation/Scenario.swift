import Foundation

/// An athlete's history as a JSON file (`paceline engine run --input FILE.json`; the schema is in
/// docs/ENGINE-CLI.md): profile, plan days, activities, check-ins, weather, days away. Read into
/// the same `EngineInput` the server builds from its database, so a scenario runs the server's code.
public struct EngineScenario: Decodable, Sendable {
    public struct Athlete: Decodable, Sendable {
        public var sex: Sex?
        public var birth_year: Int?
        public var max_hr: Double?
        public var resting_hr: Double?
        public var vdot: Double?
    }
    public struct PlanDay: Decodable, Sendable {
        public var id: Int64
        public var date: String
        public var workout: Workout
        /// Ticked off as done without an activity.
        public var done: Bool?
    }
    public struct Activity: Decodable, Sendable {
        public var date: String
        public var sport: Sport
        public var status: ActivityStatus?
        public var start_time: String?
        public var distance_m: Double?
        public var duration_s: Double?
        public var avg_hr: Double?
        public var max_hr: Double?
        public var rpe: Int?
        public var notes: String?
        /// The plan day this was done for.
        public var planned_id: Int64?
        public var cadence_cv: Double?
        public var asymmetry_pct: Double?
        public var pace_cv: Double?
    }
    public struct Day: Decodable, Sendable {
        public var date: String
        public var hrv: Double?
        public var resting_hr: Int?
        public var sleep_h: Double?
        public var sleep_quality: Int?
        public var soreness: Int?
        public var stress: Int?
        public var ill: Bool?
        public var notes: String?
    }
    public struct Weather: Decodable, Sendable {
        public var date: String
        public var temperature_c: Double
        public var dew_point_c: Double
    }
    public struct Priors: Decodable, Sendable {
        public var tau1: Double
        public var tau2: Double
    }

    public var today: String?
    public var athlete: Athlete?
    public var plan: [PlanDay]?
    public var activities: [Activity]?
    public var check_ins: [Day]?
    public var weather: [Weather]?
    public var unavailable: [String]?
    public var priors: Priors?

    public static let maxEntries = 20_000
    public static let maxBytes = 50_000_000

    /// Bad input: the message says where (`activities[3].rpe: …`).
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Decodes the file's bytes; any malformed JSON or wrong type is a `Problem` naming the place.
    public static func decode(_ data: Data) throws(Problem) -> EngineScenario {
        guard data.count <= maxBytes else { throw Problem("the file is over \(maxBytes / 1_000_000) MB") }
        do {
            return try JSONDecoder().decode(EngineScenario.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw Problem("not valid JSON" + where_(context))
        } catch let DecodingError.keyNotFound(key, context) {
            throw Problem("missing “\(key.stringValue)”" + where_(context))
        } catch let DecodingError.typeMismatch(_, context) {
            throw Problem("wrong type" + where_(context) + ": " + context.debugDescription)
        } catch let DecodingError.valueNotFound(_, context) {
            throw Problem("missing value" + where_(context))
        } catch {
            throw Problem("cannot read the file: \(error)")
        }
    }

    static func where_(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        return path.isEmpty ? "" : " at \(path.hasPrefix(".") ? String(path.dropFirst()) : path)"
    }

    static func date(_ text: String, _ place: String) throws(Problem) -> CalendarDate {
        guard let day = CalendarDate(text) else { throw Problem("\(place): “\(text)” is not a date (YYYY-MM-DD)") }
        return day
    }

    /// The engine's input, every value checked by the same rules as the forms; `today` overrides the file's.
    public func input(today override: CalendarDate? = nil) throws(Problem) -> (EngineInput, EmpiricalPriors) {
        var fileToday: CalendarDate? = nil
        if let text = self.today { fileToday = try Self.date(text, "today") }
        guard let today = override ?? fileToday else { throw Problem("give “today” in the file or --today") }
        let plan = self.plan ?? [], activities = self.activities ?? [], days = check_ins ?? []
        let weather = self.weather ?? [], away = unavailable ?? []
        for (name, count) in [
            ("plan", plan.count), ("activities", activities.count), ("check_ins", days.count),
            ("weather", weather.count), ("unavailable", away.count),
        ] where count > Self.maxEntries {
            throw Problem("\(name): at most \(Self.maxEntries) entries")
        }
        let profile = athlete ?? Athlete()
        if let v = profile.vdot, !(v.isFinite && v >= 15 && v <= 90) { throw Problem("athlete.vdot: from 15 to 90") }
        if let v = profile.max_hr, !(v.isFinite && v >= 100 && v <= 240) {
            throw Problem("athlete.max_hr: from 100 to 240 bpm")
        }
        if let v = profile.resting_hr, !(v.isFinite && v >= 25 && v <= 120) {
            throw Problem("athlete.resting_hr: from 25 to 120 bpm")
        }
        if let y = profile.birth_year, !(1900...2100).contains(y) { throw Problem("athlete.birth_year: 1900 to 2100") }
        let physiology = Physiology(
            sex: profile.sex, maxHR: profile.max_hr, restingHR: profile.resting_hr, vdot: profile.vdot,
            birthYear: profile.birth_year)

        var entries: [ActivityEntry] = []
        var doneFor: [Int64: ActivityEntry] = [:]
        let planIds = Set(plan.map(\.id))
        for (i, a) in activities.enumerated() {
            let place = "activities[\(i)]"
            let day = try Self.date(a.date, place + ".date")
            var start: Date? = nil
            if let text = a.start_time {
                guard let instant = ISO8601DateFormatter().date(from: text) else {
                    throw Problem("\(place).start_time: “\(text)” is not an ISO 8601 time")
                }
                start = instant
            }
            var entry = ActivityEntry(
                sport: a.sport,
                startTime: start ?? Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 + 43_200),
                date: day, status: a.status ?? .done, distanceMeters: a.distance_m, durationSeconds: a.duration_s,
                movingSeconds: a.duration_s, averageHeartRate: a.avg_hr, maxHeartRate: a.max_hr, rpe: a.rpe,
                notes: a.notes ?? "", source: .manual)
            if let problem = entry.problems().first { throw Problem("\(place).\(problem.field): \(problem.message)") }
            for (name, value, range) in [
                ("cadence_cv", a.cadence_cv, 0.0...1.0), ("asymmetry_pct", a.asymmetry_pct, 0.0...50.0),
                ("pace_cv", a.pace_cv, 0.0...2.0),
            ] {
                if let value, !(value.isFinite && range.contains(value)) {
                    throw Problem("\(place).\(name): from \(range.lowerBound) to \(range.upperBound)")
                }
            }
            let mechanics = StrideMechanics(
                cadenceVariation: a.cadence_cv, asymmetry: a.asymmetry_pct, paceVariation: a.pace_cv)
            entry.mechanics = mechanics.isEmpty ? nil : mechanics
            if let id = a.planned_id {
                guard planIds.contains(id) else { throw Problem("\(place).planned_id: no plan day has id \(id)") }
                doneFor[id] = entry
            }
            entries.append(entry)
        }
        var seen = Set<Int64>()
        var schedule: [PlannedSession] = []
        for (i, p) in plan.enumerated() {
            let place = "plan[\(i)]"
            guard seen.insert(p.id).inserted else { throw Problem("\(place).id: \(p.id) is used twice") }
            let day = try Self.date(p.date, place + ".date")
            if let issue = WorkoutRules.validate(p.workout).first { throw Problem("\(place).workout: \(issue)") }
            schedule.append(
                PlannedSession(id: p.id, date: day, workout: p.workout, done: doneFor[p.id], ticked: p.done ?? false))
        }
        var checkIns: [CheckIn] = []
        for (i, d) in days.enumerated() {
            let place = "check_ins[\(i)]"
            let checkIn = CheckIn(
                date: try Self.date(d.date, place + ".date"), hrvRMSSD: d.hrv, restingHR: d.resting_hr,
                sleepHours: d.sleep_h, sleepQuality: d.sleep_quality, soreness: d.soreness, stress: d.stress,
                ill: d.ill ?? false, notes: d.notes ?? "")
            if let problem = checkIn.problems().first { throw Problem("\(place).\(problem.field): \(problem.message)") }
            checkIns.append(checkIn)
        }
        var byDay: [CalendarDate: DayWeather] = [:]
        for (i, w) in weather.enumerated() {
            let place = "weather[\(i)]"
            let reading = DayWeather(temperatureC: w.temperature_c, dewPointC: w.dew_point_c)
            if let problem = reading.problems().first { throw Problem("\(place).\(problem.field): \(problem.message)") }
            byDay[try Self.date(w.date, place + ".date")] = reading
        }
        var unavailable = Set<CalendarDate>()
        for (i, text) in away.enumerated() { unavailable.insert(try Self.date(text, "unavailable[\(i)]")) }
        var priors = EmpiricalPriors.population
        if let p = priors_ {
            guard BanisterFitter.tau1Range.contains(p.tau1), BanisterFitter.tau2Range.contains(p.tau2), p.tau2 < p.tau1
            else { throw Problem("priors: tau1 from 10 to 80 days, tau2 from 1 to 20 and below tau1") }
            priors = EmpiricalPriors(tau1: p.tau1, tau2: p.tau2, athletes: 0)
        }
        let input = EngineInput(
            today: today, physiology: physiology, activities: entries.sorted { $0.date < $1.date },
            checkIns: checkIns.sorted { $0.date < $1.date }, schedule: schedule.sorted { $0.date < $1.date },
            weather: byDay, unavailable: unavailable)
        return (input, priors)
    }

    private var priors_: Priors? { priors }
}

/// What `paceline engine run --json` prints: the state per day, the fitted model, the learned
/// quantities and the proposals — everything from `Engine`, as the server runs it.
public struct EngineReport: Encodable, Sendable {
    public struct Day: Encodable, Sendable {
        public let date: String
        public let readiness: String
        public let reasons: [String]
        public let load: Double
        public let ctl: Double
        public let atl: Double
        public let tsb: Double
        public let acwr: Double?

        enum CodingKeys: String, CodingKey { case date, readiness, reasons, load, ctl, atl, tsb, acwr }

        /// Every key always present (null when unknown): a stable interface.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(date, forKey: .date); try c.encode(readiness, forKey: .readiness)
            try c.encode(reasons, forKey: .reasons); try c.encode(load, forKey: .load); try c.encode(ctl, forKey: .ctl)
            try c.encode(atl, forKey: .atl); try c.encode(tsb, forKey: .tsb); try c.encode(acwr, forKey: .acwr)
        }
    }
    public struct Model: Encodable, Sendable {
        public let p0, k1, k2, tau1, tau2: Double
        public let tau_fitted: Bool
        public let confidence: Double
        public let markers: Int
    }
    public struct Learned: Encodable, Sendable {
        public let recovery_hours: Double
        public let recovery_prior_hours: Double
        public let recovery_sessions: Int
        public let recovery_measured_days: Double?
        public let age_factor: Double
        public let ceiling_km: Double?
        public let ceiling_raised_from_km: Double?
        public let hard_share_cap: Double?
        public let clean_weeks_since_ceiling: Int
        public let warning_days: Int
        public let asymmetry_change: Double?
        public let cadence_variation_change: Double?
        public let pace_variation_change: Double?
        public let overtraining_signals: [String]
        public let words: [String: String]

        enum CodingKeys: String, CodingKey {
            case recovery_hours, recovery_prior_hours, recovery_sessions, recovery_measured_days, age_factor
            case ceiling_km, ceiling_raised_from_km, hard_share_cap, clean_weeks_since_ceiling, warning_days
            case asymmetry_change, cadence_variation_change, pace_variation_change, overtraining_signals, words
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(recovery_hours, forKey: .recovery_hours)
            try c.encode(recovery_prior_hours, forKey: .recovery_prior_hours)
            try c.encode(recovery_sessions, forKey: .recovery_sessions)
            try c.encode(recovery_measured_days, forKey: .recovery_measured_days)
            try c.encode(age_factor, forKey: .age_factor)
            try c.encode(ceiling_km, forKey: .ceiling_km)
            try c.encode(ceiling_raised_from_km, forKey: .ceiling_raised_from_km)
            try c.encode(hard_share_cap, forKey: .hard_share_cap)
            try c.encode(clean_weeks_since_ceiling, forKey: .clean_weeks_since_ceiling)
            try c.encode(warning_days, forKey: .warning_days)
            try c.encode(asymmetry_change, forKey: .asymmetry_change)
            try c.encode(cadence_variation_change, forKey: .cadence_variation_change)
            try c.encode(pace_variation_change, forKey: .pace_variation_change)
            try c.encode(overtraining_signals, forKey: .overtraining_signals)
            try c.encode(words, forKey: .words)
        }
    }
    public struct Change: Encodable, Sendable {
        public let words: String
        public let scheduled_id: Int64?
        public let change: PlanChange

        enum CodingKeys: String, CodingKey { case words, scheduled_id, change }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(words, forKey: .words); try c.encode(scheduled_id, forKey: .scheduled_id)
            try c.encode(change, forKey: .change)
        }
    }
    public struct ProposalOut: Encodable, Sendable {
        public let kind: String
        public let title: String
        public let explanation: String
        public let fingerprint: String
        public let changes: [Change]
    }

    public let today: String
    public let days: [Day]
    public let model: Model?
    public let learned: Learned
    public let proposals: [ProposalOut]

    enum CodingKeys: String, CodingKey { case today, days, model, learned, proposals }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(today, forKey: .today); try c.encode(days, forKey: .days); try c.encode(model, forKey: .model)
        try c.encode(learned, forKey: .learned); try c.encode(proposals, forKey: .proposals)
    }

    public static func run(_ raw: EngineInput, priors: EmpiricalPriors, days: Int) -> EngineReport {
        let (input, fit) = Engine.fitted(raw, priors: priors)
        let state = Engine.state(input)
        let history = Engine.readinessHistory(input, days: min(max(days, 1), Engine.historyDays))
        let n = state.loads.count
        func r(_ x: Double) -> Double { (x * 10).rounded() / 10 }
        let dayRows = history.map { entry -> Day in
            let i = n - 1 - entry.date.days(until: input.today)
            return Day(
                date: entry.date.description, readiness: entry.level.rawValue, reasons: entry.reasons,
                load: r(state.loads[i]), ctl: r(state.ctl[i]), atl: r(state.atl[i]), tsb: r(state.tsb[i]),
                acwr: state.acwr[i].map { ($0 * 100).rounded() / 100 })
        }
        let learned = LearnedQuantities(input, state: state)
        let recovery = learned.recovery, tolerance = learned.tolerance
        return EngineReport(
            today: input.today.description, days: dayRows,
            model: fit.map {
                Model(
                    p0: $0.model.p0, k1: $0.model.k1, k2: $0.model.k2, tau1: $0.model.tau1, tau2: $0.model.tau2,
                    tau_fitted: $0.tauFitted, confidence: $0.confidence, markers: $0.markers)
            },
            learned: Learned(
                recovery_hours: r(recovery.hours), recovery_prior_hours: r(recovery.priorHours),
                recovery_sessions: recovery.sessions, recovery_measured_days: recovery.measuredDays.map(r),
                age_factor: recovery.ageFactor, ceiling_km: tolerance.ceilingKm.map(r),
                ceiling_raised_from_km: tolerance.raisedFromKm.map(r), hard_share_cap: tolerance.hardShareCap,
                clean_weeks_since_ceiling: tolerance.cleanWeeks, warning_days: state.warningDays,
                asymmetry_change: learned.mechanics?.asymmetryChange,
                cadence_variation_change: learned.mechanics?.cadenceVariationChange,
                pace_variation_change: learned.mechanics?.paceVariationChange,
                overtraining_signals: state.overtrainingSignals,
                words: [
                    "recovery": recovery.words, "ceiling": tolerance.words(),
                    "mechanics": learned.mechanics?.words ?? "not enough steady runs with mechanics",
                ]),
            proposals: Engine.proposals(input, state: state, learned: learned).map { p in
                ProposalOut(
                    kind: p.kind.rawValue, title: p.title, explanation: p.explanation, fingerprint: p.fingerprint,
                    changes: p.changes.map { Change(words: $0.words, scheduled_id: $0.scheduledId, change: $0) })
            })
    }
}
