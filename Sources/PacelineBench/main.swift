import Foundation
import PacelineCore
import PacelineStore

/// `make bench`: throughput figures for the science core (release build). Each measurement
/// runs for about a second of wall-clock time and prints calls per second.
@inline(never) func blackHole(_ x: Double) { if x.isNaN { print("nan") } }

func measure(_ name: String, _ unit: String = "calls", _ body: (Int) -> Double) {
    var iterations = 1_000
    var elapsed = 0.0
    var sink = 0.0
    while true {
        let start = DispatchTime.now().uptimeNanoseconds
        sink += body(iterations)
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if elapsed > 1.0 || iterations > 500_000_000 { break }
        iterations *= 4
    }
    blackHole(sink)
    let rate = Double(iterations) / elapsed
    let label = name.padding(toLength: 44, withPad: " ", startingAt: 0)
    let each = 1e6 / rate
    print(label + String(format: "%14.0f %@/s  %10.3f µs each  (%d in %.2f s)", rate, unit, each, iterations, elapsed))
}

print("Paceline benchmarks — \(Date()) — \(ProcessInfo.processInfo.activeProcessorCount) cores")
measure("vdot(distance, time)") { n in
    var sum = 0.0
    for i in 0..<n { sum += Daniels.vdot(meters: 5000 + Double(i % 1000), seconds: 1200 + Double(i % 600)) }
    return sum
}
measure("raceTime(distance, vdot) [equivalence]") { n in
    var sum = 0.0
    for i in 0..<n { sum += Daniels.raceTime(meters: 42_195, vdot: 30 + Double(i % 55)) }
    return sum
}
measure("full report (10 equivalents, paces, zones)", "reports") { n in
    var sum = 0.0
    for i in 0..<n {
        if let race = try? RaceResult(meters: 10_000, seconds: 2400 + Double(i % 900)) {
            sum += FitnessReport(race: race).equivalentTimes.last?.seconds ?? 0
        }
    }
    return sum
}

let marathon = PlanRequest(
    raceDistanceMeters: 42_195, weeks: 24, vdot: 48, level: .advanced, qualityDays: [.tue, .thu],
    longRunDay: .sun, restDays: [.mon], weeklyKm: 50, today: CalendarDate("2026-11-23") ?? CalendarDate(dayNumber: 0))
measure("generate 24-week marathon plan", "plans") { n in
    var sum = 0.0
    for _ in 0..<n { sum += Double((try? PlanGenerator.generate(marathon))?.template.weeks.count ?? 0) }
    return sum
}

// Activity files: a 10 MB GPX and a 5 MB FIT, parsed and summarized. The GPX is also written to
// $PACELINE_BENCH_GPX (if set) so scripts/bench-parse.sh can time gpxpy on the same file.
func syntheticGPX(bytes target: Int) -> Data {
    var xml =
        "<?xml version=\"1.0\"?><gpx version=\"1.1\" "
        + "xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\"><trk><type>running</type><trkseg>\n"
    var i = 0
    while xml.utf8.count < target {
        let time = 1_800_000_000 + i
        xml +=
            "<trkpt lat=\"\(45 + Double(i) * 2.7e-5)\" "
            + "lon=\"\(14 + Double(i % 100) * 1e-6)\"><ele>\(100 + i % 50)</ele>"
            + "<time>\(CalendarDate(dayNumber: time / 86_400))T"
            + String(format: "%02d:%02d:%02d", time % 86_400 / 3600, time % 3600 / 60, time % 60) + "Z</time>"
            + "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>\(140 + i % 20)</gpxtpx:hr>"
            + "</gpxtpx:TrackPointExtension></extensions></trkpt>\n"
        i += 1
    }
    return Data((xml + "</trkseg></trk></gpx>\n").utf8)
}

func syntheticFIT(bytes target: Int) -> Data {
    var body: [UInt8] = [0x40, 0, 0, 20, 0, 4, 253, 4, 0x86, 0, 4, 0x85, 1, 4, 0x85, 3, 1, 0x02]
    var i: UInt32 = 0
    while body.count < target {
        let t = 1_000_000_000 + i, lat = Int32(536_870_912 + Int32(i) * 300), lon = Int32(167_000_000)
        body +=
            [0] + withUnsafeBytes(of: t.littleEndian, Array.init) + withUnsafeBytes(of: lat.littleEndian, Array.init)
            + withUnsafeBytes(of: lon.littleEndian, Array.init) + [UInt8(140 + i % 20)]
        i += 1
    }
    let size = UInt32(body.count)
    var all: [UInt8] =
        [12, 0x20, 0x54, 0x08] + withUnsafeBytes(of: size.littleEndian, Array.init) + Array(".FIT".utf8) + body
    let crc = FITReader.crc(all[...])
    all += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    return Data(all)
}

let gpxData = syntheticGPX(bytes: 10 * 1_048_576)
if let path = ProcessInfo.processInfo.environment["PACELINE_BENCH_GPX"] {
    try? gpxData.write(to: URL(fileURLWithPath: path))
}
let fitData = syntheticFIT(bytes: 5 * 1_048_576)
func measureFile(_ name: String, _ data: Data, runs: Int = 3, _ parse: (Data) -> Double) {
    var sink = 0.0
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<runs { sink += parse(data) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(runs)
    blackHole(sink)
    let megabytes = Double(data.count) / 1_048_576
    print(
        name.padding(toLength: 44, withPad: " ", startingAt: 0)
            + String(format: "%10.1f MB/s   %8.3f s per file (%.1f MB)", megabytes / seconds, seconds, megabytes))
}
measureFile("parse + summarize GPX", gpxData) { (try? ActivitySummary(GPXReader.read($0)).distanceMeters) ?? 0 }
measureFile("parse + summarize FIT", fitData) {
    (try? FITReader.read($0).first.map { ActivitySummary($0).distanceMeters }) ?? 0
}

// MARK: The adaptive engine over a large organization

/// A synthetic athlete's year: runs six days a week with heart rate, a check-in every day, the
/// next two weeks of a plan, and the weather of the last four weeks and the next eight days (warm
/// to hot, so the heat rule and heat-normalized efficiency do their work). Made one athlete at a
/// time, so memory stays flat.
func syntheticAthlete(_ seed: Int, today: CalendarDate, days: Int) -> EngineInput {
    var state = UInt64(truncatingIfNeeded: seed) &* 0x9E3779B97F4A7C15 | 1
    func unit() -> Double {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state % 10_000) / 10_000
    }
    let library = StarterLibrary.workouts
    var activities: [ActivityEntry] = []
    var checkIns: [CheckIn] = []
    activities.reserveCapacity(days)
    checkIns.reserveCapacity(days)
    for back in 0..<days {
        let date = today.adding(days: -back)
        if back % 28 == seed % 28 {
            // A monthly 5 km time trial: a performance marker (the goal-time rule reads the latest).
            let seconds = 1200 + 120 * unit()
            activities.append(
                ActivityEntry(
                    sport: .run, date: date, distanceMeters: 5000, durationSeconds: seconds, movingSeconds: seconds,
                    averageHeartRate: 175, rpe: 9, source: .fit))
        } else if back % 7 != 3 {
            let minutes = 30 + 60 * unit()
            var entry = ActivityEntry(
                sport: .run, date: date, distanceMeters: minutes * 180, durationSeconds: minutes * 60,
                averageHeartRate: 130 + 30 * unit(), rpe: 3 + Int(unit() * 5), source: .fit)
            entry.mechanics = StrideMechanics(
                cadenceVariation: 0.03 + 0.01 * unit(), asymmetry: 1 + unit(), paceVariation: 0.04 + 0.02 * unit())
            activities.append(entry)
        }
        checkIns.append(
            CheckIn(
                date: date, hrvRMSSD: 55 + 15 * unit(), restingHR: 45 + Int(6 * unit()), sleepHours: 6 + 2.5 * unit(),
                soreness: 1 + Int(3 * unit())))
    }
    activities.reverse()
    checkIns.reverse()
    var schedule = (-7..<35).compactMap { offset -> PlannedSession? in
        guard offset % 7 != 0 else { return nil }
        let workout = library[(seed + offset + 21) % 16]
        // Past sessions done (ticked), so the week is not re-planned and every rule gets its turn.
        return PlannedSession(
            id: Int64(seed * 100 + offset + 50), date: today.adding(days: offset), workout: workout, done: nil,
            ticked: offset < 0)
    }
    // A goal race five weeks out with a goal time (peak timing and the goal time look at it).
    var race = Workout(
        name: "10 km race", sport: .run, subtype: .race, targetDistanceMeters: 10_000,
        blocks: [WorkoutBlock(.run, distance: 10_000, pace: .z4)])
    race.targetDurationSeconds = 2700
    schedule.append(
        PlannedSession(id: Int64(seed * 100 + 99), date: today.adding(days: 35), workout: race, done: nil))
    let away: Set<CalendarDate> = seed % 10 == 0 ? [today.adding(days: 3), today.adding(days: 4)] : []
    var weather: [CalendarDate: DayWeather] = [:]
    for offset in -28..<8 {
        let temperature = 14 + 20 * unit()
        weather[today.adding(days: offset)] = DayWeather(
            temperatureC: temperature, dewPointC: temperature - 2 - 10 * unit())
    }
    return EngineInput(
        today: today, physiology: Physiology(sex: seed % 2 == 0 ? .female : .male, maxHR: 190, restingHR: 48, vdot: 45),
        activities: activities, checkIns: checkIns, schedule: schedule, weather: weather,
        // A fitted model as the nightly run has it (the fit itself is measured separately below).
        model: BanisterModel(p0: 45, k1: 0.04 + 0.01 * unit(), k2: 0.09 + 0.02 * unit(), tau1: 40, tau2: 8),
        unavailable: away)
}

func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

do {
    let athletes = Int(ProcessInfo.processInfo.environment["PACELINE_BENCH_ATHLETES"] ?? "") ?? 100_000
    let today = CalendarDate(year: 2027, month: 1, day: 15) ?? .earliest
    let before = peakMemoryMB()
    let start = DispatchTime.now().uptimeNanoseconds
    var proposals = 0, red = 0
    var dataTime = 0.0
    var phases = [0.0, 0.0, 0.0]
    for seed in 0..<athletes {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let input = syntheticAthlete(seed, today: today, days: 365)
        dataTime += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let t1 = DispatchTime.now().uptimeNanoseconds
        let state = Engine.state(input, days: 365)
        if state.readiness == .red { red += 1 }
        let t2 = DispatchTime.now().uptimeNanoseconds
        // Every learned quantity: recovery time, ceiling, mechanics trend (the rules read them too).
        let learned = LearnedQuantities(input, state: state)
        blackHole(learned.recovery.hours + (learned.tolerance.ceilingKm ?? 0) + Double(learned.warningDays))
        let t3 = DispatchTime.now().uptimeNanoseconds
        proposals += Engine.proposals(input, state: state, learned: learned).count
        let t4 = DispatchTime.now().uptimeNanoseconds
        phases[0] += Double(t2 - t1) / 1e9; phases[1] += Double(t3 - t2) / 1e9; phases[2] += Double(t4 - t3) / 1e9
    }
    print(String(format: "  state %.2f s, learned %.2f s, proposals %.2f s", phases[0], phases[1], phases[2]))
    let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(
        String(
            format:
                "engine (every learned quantity): %d athletes × 365 days recomputed in %.2f s (%.2f s of it making "
                + "the synthetic data; engine "
                + "%.2f s, %.0f athletes/s); "
                + "%d proposals, %d red; peak memory %.0f MB (%.0f MB before)",
            athletes, total, dataTime, total - dataTime, Double(athletes) / max(total - dataTime, 1e-9), proposals, red,
            peakMemoryMB(), before))
    // The individual fit, per athlete (run when new markers arrive, not in the nightly loop).
    let fitInput = syntheticAthlete(1, today: today, days: 365)
    let loads = Engine.state(fitInput, days: 365).loads
    let markers = stride(from: 20, to: 365, by: 14).map { PerformanceMarker(day: $0, value: 45 + sin(Double($0) / 40)) }
    let fitStart = DispatchTime.now().uptimeNanoseconds
    var tau = 0.0
    for _ in 0..<20 { tau += BanisterFitter.fit(loads: loads, markers: markers)?.model.tau1 ?? 0 }
    blackHole(tau)
    print(
        String(
            format: "Banister fit (365 days, %d markers, with the running validation): %.1f ms each",
            markers.count, Double(DispatchTime.now().uptimeNanoseconds - fitStart) / 1e6 / 20))
}

/// Acknowledged writes: one check-in saved per transaction to a database file, as the server
/// saves them, with `synchronous = FULL` (what ships) and NORMAL (what it replaced).
func writesPerSecond(_ durability: AppDatabase.Durability, count: Int) async throws -> Double {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paceline-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try AppDatabase.open(path: folder.appendingPathComponent("writes.sqlite").path, durability: durability)
    _ = try await db.seedDemo(slug: "bench", athletes: 1, passwordHash: "unused", now: Date())
    guard let user = try await db.user(email: "athlete1@bench.test"),
        let scope = try await db.resolveTenant(slug: "bench", userId: user.id),
        let athlete = try await db.athletes(scope).first
    else { return 0 }
    let first = CalendarDate(year: 2020, month: 1, day: 1) ?? .earliest
    let start = DispatchTime.now().uptimeNanoseconds
    for day in 0..<count {
        _ = try await db.saveCheckIns(
            scope, athleteId: athlete.id, [CheckIn(date: first.adding(days: day), hrvRMSSD: 60)], fromCSV: false,
            now: Date())
    }
    return Double(count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

do {
    let full = try await writesPerSecond(.full, count: 1000)
    let normal = try await writesPerSecond(.normal, count: 1000)
    print(
        String(
            format:
                "writes: %.0f check-ins/s with synchronous=FULL (shipped), %.0f/s with NORMAL: FULL costs %.0f %% "
                + "(%.2f ms vs %.2f ms a write)",
            full, normal, max(0, 1 - full / normal) * 100, 1000 / full, 1000 / normal))
}
