import Foundation
import PacelineCore
import PacelineStore

/// One scheduled workout: steps with the athlete's paces, done or not, and the way to log it.
struct WorkoutPage: Sendable {
    let workout: WorkoutView
    let athleteName: String
    let isOwn: Bool
    let backHref: String
    let logHref: String
    let activityHref: String?
    /// The workout as files for a watch (FIT) and for Zwift (runs and rides), with this athlete's targets.
    let fitHref: String
    let zwoHref: String?
    let sendToWatchHref: String?
    var thread = CommentThread.empty

    init(_ item: ScheduledItem, subject: AthleteSubject, urls: SiteURL.Org) {
        workout = WorkoutView(item, viewer: subject.viewer, urls: urls)
        athleteName = subject.athlete.name
        isOwn = subject.isOwn
        backHref = subject.isOwn ? urls.calendar : urls.instance(item.instanceId)
        logHref =
            item.outcome.map { urls.activityOp($0.activityId, "edit") } ?? subject.log.newActivity(scheduled: item.id)
        activityHref = item.outcome.map { urls.activity($0.activityId) }
        fitHref = urls.scheduledFile(item.id, "fit")
        zwoHref = WorkoutZWO.supports(item.workout.sport) ? urls.scheduledFile(item.id, "zwo") : nil
        sendToWatchHref = subject.isOwn ? urls.sendToWatch : nil
    }
}
