import Foundation
import Logging
import PacelineMail
import PacelineStore
import ServiceLifecycle

/// The mail worker, stopping with the server. Requests never send mail: they queue it (or leave a
/// notification marked for email) in their own transaction, and this loop, every few seconds,
/// writes the notifications' emails, queues the scheduled ones whose time has come (once a
/// minute) and hands due emails to the transport — retrying with back-off, never one twice.
struct MailService: Service {
    let deps: AppDependencies
    let transport: any MailTransport
    let logger: Logger

    func run() async throws {
        let composer = MailComposer(deps: deps)
        logger.info("Mail worker started", metadata: ["transport": "\(transport.summary)"])
        do {
            let requeued = try await deps.database.requeueInterruptedMail(now: deps.clock.now())
            if requeued > 0 {
                logger.notice("Emails interrupted by a stop go out again", metadata: ["count": "\(requeued)"])
            }
        } catch {
            logger.error("Mail queue could not be read: \(error)")
        }
        var lastSchedule = Date.distantPast
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = deps.clock.now()
            await writeNotificationEmails(composer)
            if now.timeIntervalSince(lastSchedule) >= Double(deps.config.mailScheduleSeconds) || now < lastSchedule {
                lastSchedule = now
                do {
                    let (queued, failures) = try await ScheduledMail(deps: deps, composer: composer).run(now: now)
                    if queued > 0 { logger.info("Scheduled emails queued", metadata: ["count": "\(queued)"]) }
                    for failure in failures.prefix(20) { logger.error("Scheduled email failed: \(failure)") }
                } catch {
                    logger.error("Scheduled emails failed: \(error)")
                }
            }
            await deliverDue()
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .seconds(deps.config.mailPollSeconds))
            }
        }
    }

    /// Notifications marked for email become outbox rows (one transaction each with the mark). One that
    /// cannot be written is logged and marked done without an email, so it cannot hold up the others.
    func writeNotificationEmails(_ composer: MailComposer) async {
        do {
            for pending in try await deps.database.pendingNotificationEmails() {
                let now = deps.clock.now()
                var mail: OutgoingMail?
                do {
                    mail = try composer.notification(pending, now: now)
                } catch {
                    logger.error(
                        "Notification email not written: \(error)", metadata: ["notification": "\(pending.id)"])
                }
                try await deps.database.completeNotificationEmail(
                    orgId: pending.organization.id, notificationId: pending.id, mail: mail, now: now)
            }
        } catch {
            logger.error("Notification emails failed: \(error)")
        }
    }

    /// Sends what is due, a batch at a time, until nothing is due.
    func deliverDue() async {
        do {
            while !Task.isShuttingDownGracefully {
                let batch = try await deps.database.claimDueMail(now: deps.clock.now())
                guard !batch.isEmpty else { return }
                for mail in batch { await deliver(mail) }
            }
        } catch {
            logger.error("Mail queue failed: \(error)")
        }
    }

    func deliver(_ mail: QueuedMail) async {
        let envelope = MailEnvelope(sender: mail.sender, recipient: mail.recipient)
        do {
            try await transport.deliver(mail.message, envelope: envelope)
            try await deps.database.markMailSent(id: mail.id, now: deps.clock.now())
            logger.info("Email sent", metadata: ["mail_id": "\(mail.id)", "attempt": "\(mail.attempts)"])
        } catch {
            let failure = error as? MailDeliveryError ?? .temporary("\(error)")
            logger.warning(
                "Email not sent",
                metadata: ["mail_id": "\(mail.id)", "attempt": "\(mail.attempts)", "error": "\(failure)"])
            try? await deps.database.markMailFailed(
                id: mail.id, attempts: mail.attempts, error: failure.description, permanent: failure.isPermanent,
                now: deps.clock.now())
        }
    }
}
