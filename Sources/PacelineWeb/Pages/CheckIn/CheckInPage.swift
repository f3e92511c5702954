import Foundation
import PacelineCore
import PacelineStore

/// The check-in page: one day's form and the last fourteen days at a glance.
struct CheckInPage: Sendable {
    struct ScaleOption: Sendable {
        let value: Int
        let checked: Bool
        let id: String
    }
    struct Scale: Sendable {
        let name: String
        let legend: String
        let low: String
        let high: String
        let options: [ScaleOption]
        let error: String?
    }
    struct RecentDay: Sendable {
        let date: String
        let href: String
        let text: String
        let isIll: Bool
        let current: Bool
    }
    let name: String
    let isOwn: Bool
    let date: String
    let dateLabel: String
    let action: String
    let hrv: Field
    let restingHR: Field
    let sleepHours: Field
    let scales: [Scale]
    let ill: Bool
    let illnessNote: Field
    let phases: [SelectOption]
    let notes: Field
    let summary: String?
    let exists: Bool
    let recent: [RecentDay]
    let activitiesHref: String
    let weatherHref: String

    /// The page for `date`, with `recent` check-ins (the last fourteen days at least).
    init(
        _ subject: AthleteSubject, date: CalendarDate, form: CheckInForm, errors: FieldErrors, exists: Bool,
        recent: [CheckIn]
    ) {
        func scale(_ name: String, _ legend: String, _ low: String, _ high: String, _ value: String) -> Scale {
            Scale(
                name: name, legend: legend, low: low, high: high,
                options: (1...5).map { ScaleOption(value: $0, checked: value == "\($0)", id: "\(name)-\($0)") },
                error: errors[name])
        }
        let byDate = Dictionary(recent.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
        let today = subject.today
        name = subject.athlete.name
        isOwn = subject.isOwn
        self.date = date.description
        dateLabel = date == today ? "Today, \(Weekday(date).label) \(date)" : "\(Weekday(date).label) \(date)"
        action = subject.log.checkIn
        hrv = Field(form.hrv, error: errors["hrv"])
        restingHR = Field(form.restingHR, error: errors["resting_hr"])
        sleepHours = Field(form.sleepHours, error: errors["sleep_hours"])
        scales = [
            scale("sleep_quality", "Sleep quality", "very poor", "excellent", form.sleepQuality),
            scale("soreness", "Soreness", "none", "very sore", form.soreness),
            scale("stress", "Stress", "relaxed", "very stressed", form.stress),
        ]
        ill = form.ill
        illnessNote = Field(form.illnessNote, error: errors["illness_note"])
        phases =
            [SelectOption(value: "", label: "—", selected: form.phase.isEmpty)]
            + CyclePhase.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.phase)
            }
        notes = Field(form.notes, error: errors["notes"])
        summary = errors["date"] ?? errors.summary
        self.exists = exists
        self.recent = (0..<14).map { offset in
            let day = today.adding(days: -offset)
            return RecentDay(
                date: "\(Weekday(day).short) \(day)", href: subject.log.checkIn(date: day),
                text: byDate[day].map(Self.summaryText) ?? "—", isIll: byDate[day]?.ill ?? false,
                current: day == date)
        }
        activitiesHref = subject.log.activities
        weatherHref = subject.log.weather
    }

    /// A day's check-in in one line: "HRV 62 ms · RHR 48 · sleep 7.5 h".
    static func summaryText(_ c: CheckIn) -> String {
        var parts: [String] = []
        if let v = c.hrvRMSSD { parts.append(String(format: "HRV %.0f ms", v)) }
        if let v = c.restingHR { parts.append("RHR \(v)") }
        if let v = c.sleepHours { parts.append(String(format: "sleep %.1f h", v)) }
        if let v = c.soreness { parts.append("soreness \(v)/5") }
        if c.ill { parts.append("ill") }
        return parts.isEmpty ? "checked in" : parts.joined(separator: " · ")
    }
}
