import Foundation
import GRDB
import PacelineCore

// MARK: Weather (the heat rule's input)

extension AppDatabase {
    /// How far back and ahead the weather page reaches: a week of observed days (efficiency is
    /// heat-normalized with them) and the forecast days the heat rule reads.
    public static let weatherDaysBack = 7
    public static let weatherDaysAhead = Thresholds.heatDaysAhead + 2

    static func weather(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate
    ) throws -> [CalendarDate: DayWeather] {
        var out: [CalendarDate: DayWeather] = [:]
        for row in try WeatherRecord.scoped(to: scope).forAthlete(athleteId).between(from, to).fetchAll(db) {
            guard let date = CalendarDate(row.date) else { continue }
            out[date] = DayWeather(temperatureC: row.temperatureC, dewPointC: row.dewPointC)
        }
        return out
    }

    public func weather(
        _ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate
    ) async throws -> [CalendarDate: DayWeather] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            return try Self.weather(db, scope, athleteId: athleteId, from: from, to: to)
        }
    }

    /// Saves the athlete's weather day by day: a reading replaces the day's, nil clears it.
    /// Every reading is checked first; one bad reading saves nothing.
    public func saveWeather(
        _ scope: TenantScope, athleteId: Int64, _ days: [CalendarDate: DayWeather?], now: Date
    ) async throws {
        for (date, weather) in days.sorted(by: { $0.key < $1.key }) {
            if let problem = weather?.problems().first { throw StoreError.invalid("\(date): \(problem.message)") }
        }
        try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            for (date, weather) in days {
                // One reading a day: a new one replaces the day's.
                let day = WeatherRecord.scoped(to: scope).forAthlete(athleteId).between(date, date)
                try day.deleteAll(db)
                if let weather {
                    try WeatherRecord(
                        id: nil, orgId: scope.orgId, athleteId: athleteId, date: date.description,
                        temperatureC: weather.temperatureC, dewPointC: weather.dewPointC, updatedBy: scope.user.id,
                        updatedAt: now
                    ).insert(db)
                }
            }
        }
    }
}
