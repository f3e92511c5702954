import Foundation
import Hummingbird
import NIOCore
import PacelineCore
import PacelineStore

/// The athlete's calendar feed (`/cal/{token}.ics`, public: the unguessable token is the key) and
/// making a new token, which stops the old address.
struct CalendarFeedController {
    let deps: AppDependencies

    func addPublicRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.get("cal/:file", use: feed)
    }

    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.post("me/calendar", use: regenerate)
    }

    @Sendable func regenerate(_ request: Request, context: AthleteContext) async throws -> Response {
        _ = try await deps.database.regenerateCalendarToken(
            context.scope, athleteId: context.athleteId, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).me,
            flash: .success(
                "New calendar address made. The old one has stopped working: subscribe again with the new one."))
    }

    @Sendable func feed(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let file = context.parameters.get("file"), file.hasSuffix(".ics"), file.count <= 100 else {
            throw HTTPError(.notFound)
        }
        let token = String(file.dropLast(4))
        guard token.count >= 20, let feed = try await deps.database.calendarFeed(token: token) else {
            throw HTTPError(.notFound)
        }
        let zones = PaceZones(vdotValue: feed.vdot)
        let events = feed.items.map { item in
            // Watts, heart rates and swim paces from the thresholds valid on the workout's day.
            let words = WorkoutWords(
                units: feed.units, zones: zones, thresholds: SportThresholds(history: feed.thresholds, on: item.date))
            let heat = item.workout.heat.map { ["Hot day — " + $0.words(units: feed.units) + "."] } ?? []
            // Calendar apps show text, not HTML: the notes' Markdown marks are taken out.
            let notes = item.workout.notes.isEmpty ? [] : ["", Markdown.plainText(item.workout.notes)]
            let description = heat + words.forWorkout(item.workout).steps(item.workout.blocks) + notes
            return ICalendar.Event(
                uid: item.uid, date: item.date, summary: item.workout.name,
                description: description.joined(separator: "\n"), sequence: item.sequence,
                stamp: item.updatedAt)
        }
        let body = ICalendar(name: "\(feed.name) — training", events: events).render()
        return Response(
            status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
