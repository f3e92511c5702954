import Foundation
import PacelineCore

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

let marathon = PlanRequest(raceDistanceMeters: 42_195, weeks: 24, vdot: 48, level: .advanced, qualityDays: [.tue, .thu],
                           longRunDay: .sun, restDays: [.mon], weeklyKm: 50, today: CalendarDate("2026-11-23") ?? CalendarDate(dayNumber: 0))
measure("generate 24-week marathon plan", "plans") { n in
    var sum = 0.0
    for _ in 0..<n { sum += Double((try? PlanGenerator.generate(marathon))?.template.weeks.count ?? 0) }
    return sum
}
