import Foundation
import GRDB
import PacelineCore

// MARK: Weather (the heat rule's input)

extension AppDatabase {
    /// How far back and ahead the weather page reaches: a week of observed days (efficiency is
    /// heat-normalized with them) and the forecast days the heat rule reads.
    public static let weatherDaysBack = 7
    public static let weatherDaysAhead = Thresholds.heatDaysAhead + 2

    static func weather(_ db: Database, _ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate) throws -> [CalendarDate: DayWeather] {
        var out: [CalendarDate: DayWeather] = [:]
        for row in try db.rows(sql: "SELECT date, temperature_c, dew_point_c FROM weather WHERE org_id = ? AND athlete_id = ? AND date BETWEEN ? AND ?",
                               arguments: [scope.orgId, athleteId, from.description, to.description]) {
            guard let date = CalendarDate(row["date"] as String) else { continue }
            out[date] = DayWeather(temperatureC: row["temperature_c"], dewPointC: row["dew_point_c"])
        }
        return out
    }

    public func weather(_ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate) async throws -> [CalendarDate: DayWeather] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            return try Self.weather(db, scope, athleteId: athleteId, from: from, to: to)
        }
    }

    /// Saves the athlete's weather day by day: a reading replaces the day's, nil clears it.
    /// Every reading is checked first; one bad reading saves nothing.
    public func saveWeather(_ scope: TenantScope, athleteId: Int64, _ days: [CalendarDate: DayWeather?], now: Date) async throws {
        for (date, weather) in days.sorted(by: { $0.key < $1.key }) {
            if let problem = weather?.problems().first { throw StoreError.invalid("\(date): \(problem.message)") }
        }
        try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            for (date, weather) in days {
                if let weather {
                    try db.execute(sql: """
                        INSERT INTO weather (org_id, athlete_id, date, temperature_c, dew_point_c, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (athlete_id, date) DO UPDATE SET temperature_c = excluded.temperature_c, dew_point_c = excluded.dew_point_c,
                            updated_by = excluded.updated_by, updated_at = excluded.updated_at
                        """, arguments: [scope.orgId, athleteId, date.description, weather.temperatureC, weather.dewPointC, scope.user.id, now])
                } else {
                    try db.execute(sql: "DELETE FROM weather WHERE org_id = ? AND athlete_id = ? AND date = ?",
                                   arguments: [scope.orgId, athleteId, date.description])
                }
            }
        }
    }
}
