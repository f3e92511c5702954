import Foundation
import PacelineCore
import PacelineStore

/// An athlete's own view settings, resolved in one place: their units, time zone and "today"
/// (each falling back to the organization's), their pace zones from their VDOT and their
/// heart-rate zones. Every page about an athlete reads these from here.
struct Viewer: Sendable {
    let athlete: Athlete
    let units: UnitSystem
    let timeZoneIdentifier: String
    let zones: PaceZones?
    let heartRate: HeartRateZones?
    /// FTP, threshold heart rates and CSS as valid today (watts, Friel's heart rates, swim paces).
    let thresholds: SportThresholds
    let today: CalendarDate

    init(_ athlete: Athlete, organization: Organization, now: Date) {
        self.athlete = athlete
        units = organization.units(of: athlete.units)
        timeZoneIdentifier = organization.timeZone(of: athlete.timeZone)
        zones = PaceZones(vdotValue: athlete.vdot)
        heartRate = athlete.maxHR.flatMap { max in
            athlete.restingHR.flatMap { HeartRateZones(maxHR: max, restingHR: $0) }
        }
        today = CalendarDate(now, timeZone: TimeZones.zone(timeZoneIdentifier))
        thresholds = athlete.thresholds(on: today)
    }

    var timeZone: TimeZone { TimeZones.zone(timeZoneIdentifier) }
    var words: WorkoutWords { WorkoutWords(units: units, zones: zones, heartRate: heartRate, thresholds: thresholds) }
}

extension TenantScope {
    /// The calendar date now in the organization's time zone (pages not about one athlete).
    func today(now: Date) -> CalendarDate {
        CalendarDate(now, timeZone: TimeZones.zone(organization.timeZone))
    }
}
