import Foundation
import Hummingbird
import Logging
import PacelineCore
@testable import PacelineMail
import PacelineStore
import Testing
@testable import PacelineWeb

/// Issue 17, item 3: the message format, the transports' edges, the queue, and the emails' routes.
struct MailFormatTests {
    func text(_ message: MailMessage) throws -> String { String(decoding: try message.rendered(), as: UTF8.self) }

    /// The header block (folded lines joined) and the decoded parts.
    func headers(_ raw: String) -> [String] {
        let head = raw.components(separatedBy: "\r\n\r\n")[0]
        return head.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
    }

    func decodeWords(_ value: String) -> String {
        value.split(separator: " ").map { word -> String in
            guard word.hasPrefix("=?utf-8?B?"), word.hasSuffix("?=") else { return String(word) }
            let payload = word.dropFirst("=?utf-8?B?".count).dropLast(2)
            return Data(base64Encoded: String(payload)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }.joined()
    }

    @Test func aMessageIsMIMEWithBothPartsAndNoInjectedHeaders() throws {
        let from = try #require(MailAddress(parsing: "Paceline <coach@club.example>"))
        let to = try #require(MailAddress(name: "Zoë \"Z\" Öberg", address: "zoe@example.org"))
        let subject = "Tomorrow: 6 × 800 m at I pace — ünïcödé, and a long subject that must be folded"
        var message = MailMessage(
            from: from, to: to, subject: subject + "\r\nBcc: victim@example.org", text: "Line one\nLine two ✓",
            html: "<p>Line one</p>", messageID: "abc@club.example", date: Date(timeIntervalSince1970: 0),
            unsubscribeURL: "https://club.example/unsubscribe/tok")
        message.extraHeaders = [("X-Paceline-Kind", "tomorrow\r\nBcc: x@y.z"), ("Bad Name", "dropped")]
        let raw = try text(message)
        let lines = headers(raw)
        #expect(!lines.contains { $0.hasPrefix("Bcc:") }, "no header can be injected: \(lines)")
        #expect(!lines.contains { $0.hasPrefix("Bad Name") })
        #expect(lines.contains("From: \"Paceline\" <coach@club.example>"))
        #expect(lines.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(lines.contains("Message-ID: <abc@club.example>") && lines.contains("MIME-Version: 1.0"))
        #expect(lines.contains("List-Unsubscribe: <https://club.example/unsubscribe/tok>"))
        #expect(lines.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
        let subjectLine = try #require(lines.first { $0.hasPrefix("Subject: ") })
        let decoded = decodeWords(String(subjectLine.dropFirst(9)))
        #expect(decoded == subject + " Bcc: victim@example.org", "a line break is a space")
        let toLine = try #require(lines.first { $0.hasPrefix("To: ") })
        #expect(decodeWords(String(toLine.dropFirst(4)).replacingOccurrences(of: " <zoe@example.org>", with: ""))
            == "Zoë \"Z\" Öberg")
        // Every line within SMTP's limit, CRLF only.
        #expect(raw.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 && !$0.contains("\n") })
        // Both parts, base64, decoding to the text given.
        let boundary = try #require(
            raw.firstRange(of: "boundary=\"").map { raw[$0.upperBound...].prefix { $0 != "\"" } })
        let parts = Array(raw.components(separatedBy: "--" + boundary).dropFirst().dropLast())
        #expect(parts.count == 2)
        let bodies = parts.map { part -> String in
            let payload = part.components(separatedBy: "\r\n\r\n").dropFirst().joined()
                .replacingOccurrences(of: "\r\n", with: "")
            return String(decoding: Data(base64Encoded: payload) ?? Data(), as: UTF8.self)
        }
        #expect(bodies == ["Line one\r\nLine two ✓", "<p>Line one</p>"])
        #expect(parts[0].contains("text/plain; charset=utf-8") && parts[1].contains("text/html; charset=utf-8"))
    }

    @Test func addressesThatCannotCarryMailAreRefused() {
        for bad in ["no-at-sign", "a@b", "two@@example.org", "a b@example.org", "a@example.org\r\nBcc: x@y.z",
            "<a>@example.org", "a@.example.org", String(repeating: "a", count: 250) + "@example.org"]
        {
            #expect(MailAddress(address: bad) == nil, "\(bad)")
        }
        #expect(MailAddress(parsing: "Club <club@example.org>")?.address == "club@example.org")
        #expect(MailAddress(parsing: "club@example.org")?.name == "")
    }

    @Test func smtpDataIsDotStuffedAndSettingsAreRead() throws {
        let stuffed = SMTPSession.dotStuffed(Array(".start\r\nmiddle\r\n.\r\nend".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "..start\r\nmiddle\r\n..\r\nend\r\n.\r\n")
        let relay = try SMTPSettings(url: "smtp://mailer:p%40ss%3Aword@relay.example.org")
        #expect(relay.port == 587 && relay.security == .startTLS && !relay.isLoopback)
        #expect(relay.username == "mailer" && relay.password == "p@ss:word")
        #expect(!relay.description.contains("p@ss"), "no password in logs")
        let implicit = try SMTPSettings(url: "smtps://relay.example.org")
        #expect(implicit.port == 465 && implicit.security == .implicitTLS)
        #expect(try SMTPSettings(url: "smtp://127.0.0.1:2525").isLoopback)
        for bad in ["http://relay.example.org", "relay.example.org", "smtp://", "smtp://host:0"] {
            #expect(throws: MailSettingsError.self) { try SMTPSettings(url: bad) }
        }
        #expect(throws: MailSettingsError.self) { try SendmailTransport(commandLine: "msmtp -t") }
        #expect(throws: MailSettingsError.self) { try SendmailTransport(commandLine: "/nonexistent/sendmail") }
    }

    @Test func aSendmailProgramGetsTheMessageAndItsExitStatusDecides() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sendmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("sendmail")
        try """
        #!/bin/sh
        printf '%s\\n' "$@" > "\(dir.path)/args"
        cat > "\(dir.path)/message"
        exit $(cat "\(dir.path)/code" 2>/dev/null || echo 0)
        """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let transport = try SendmailTransport(commandLine: script.path + " -a relay")
        let message = Array("Subject: hi\r\n\r\nbody\r\n".utf8)
        try await transport.deliver(
            message, envelope: MailEnvelope(sender: "from@example.org", recipient: "to@example.org"))
        let args = try String(contentsOf: dir.appendingPathComponent("args"), encoding: .utf8)
        #expect(args == "-a\nrelay\n-i\n-f\nfrom@example.org\n--\nto@example.org\n")
        #expect(try Data(contentsOf: dir.appendingPathComponent("message")) == Data(message))
        // A program that exits without reading a large message: an error, not a crash.
        let quitter = dir.appendingPathComponent("quitter")
        try "#!/bin/sh\nexit 69\n".write(to: quitter, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: quitter.path)
        do {
            try await SendmailTransport(commandLine: quitter.path).deliver(
                [UInt8](repeating: 65, count: 1_000_000), envelope: MailEnvelope(sender: "a@b.cd", recipient: "e@f.gh"))
            Issue.record("exit 69 must fail")
        } catch let error as MailDeliveryError {
            #expect(!error.isPermanent)
        }
        for (code, permanent) in [(75, false), (69, false), (67, true), (65, true)] {
            try "\(code)".write(to: dir.appendingPathComponent("code"), atomically: true, encoding: .utf8)
            do {
                try await transport.deliver(message, envelope: MailEnvelope(sender: "a@b.cd", recipient: "e@f.gh"))
                Issue.record("exit \(code) must fail")
            } catch let error as MailDeliveryError {
                #expect(error.isPermanent == permanent, "exit \(code)")
            }
        }
    }
}

/// A transport that keeps what it is given, failing the first `failures` deliveries.
final class RecordingTransport: MailTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [(MailEnvelope, String)] = []
    private var failuresLeft: Int
    init(failures: Int = 0) { failuresLeft = failures }
    var summary: String { "recording" }
    var messages: [(MailEnvelope, String)] { lock.withLock { sent } }

    func deliver(_ message: [UInt8], envelope: MailEnvelope) async throws {
        try lock.withLock {
            if failuresLeft > 0 {
                failuresLeft -= 1
                throw MailDeliveryError.temporary("421 busy")
            }
            sent.append((envelope, String(decoding: message, as: UTF8.self)))
        }
    }
}

struct MailQueueTests {
    func mail(_ dedupe: String, to: String = "a@example.org") -> OutgoingMail {
        OutgoingMail(
            orgId: nil, userId: nil, kind: .passwordReset, dedupe: dedupe, sender: "p@example.org", recipient: to,
            subject: "s", message: Array("Subject: s\r\n\r\nx\r\n".utf8), unsubscribeHash: nil)
    }

    @Test func theQueueSendsEachEventOnceRetriesWithBackOffAndGivesUp() async throws {
        let db = try await AppDatabase.forTesting()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try await db.enqueueMail(mail("e1"), now: now))
        #expect(try await !db.enqueueMail(mail("e1"), now: now), "one email per event")
        let first = try await db.claimDueMail(now: now)
        #expect(first.count == 1 && first[0].attempts == 1)
        #expect(try await db.claimDueMail(now: now).isEmpty, "being sent: nobody else takes it")
        try await db.markMailFailed(id: first[0].id, attempts: 1, error: "421", permanent: false, now: now)
        #expect(try await db.claimDueMail(now: now.addingTimeInterval(14)).isEmpty, "waits 15 seconds")
        let second = try await db.claimDueMail(now: now.addingTimeInterval(16))
        #expect(second.count == 1 && second[0].attempts == 2)
        try await db.markMailFailed(id: second[0].id, attempts: 2, error: "421", permanent: false, now: now)
        #expect(try await db.claimDueMail(now: now.addingTimeInterval(59)).isEmpty, "then a minute")
        #expect(MailRetry.delay(afterAttempt: 3) == 240 && MailRetry.delay(afterAttempt: 7) == 6 * 3600)
        // A permanent refusal is final; so is the last attempt.
        let third = try await db.claimDueMail(now: now.addingTimeInterval(61))
        try await db.markMailFailed(id: third[0].id, attempts: 3, error: "550 no such user", permanent: true, now: now)
        #expect(try await db.claimDueMail(now: now.addingTimeInterval(86_400)).isEmpty)
        #expect(try await db.outbox().first?.status == "failed")
        #expect(try await db.enqueueMail(mail("e2"), now: now))
        let last = try await db.claimDueMail(now: now)
        try await db.markMailFailed(
            id: last[0].id, attempts: MailRetry.maxAttempts, error: "421", permanent: false, now: now)
        #expect(try await db.claimDueMail(now: now.addingTimeInterval(86_400)).isEmpty)
        // A stop mid-send: on SQLite (one server) the email goes back to the queue at start; on PostgreSQL
        // another server may be sending it, so it comes back when the claim's lease runs out. Once sent
        // it is never taken again.
        #expect(try await db.enqueueMail(mail("e3"), now: now))
        let interrupted = try await db.claimDueMail(now: now)
        let again: [QueuedMail]
        if db.engineName == "sqlite" {
            #expect(try await db.requeueInterruptedMail(now: now) == 1)
            again = try await db.claimDueMail(now: now)
        } else {
            #expect(try await db.requeueInterruptedMail(now: now) == 0)
            #expect(try await db.claimDueMail(now: now.addingTimeInterval(MailRetry.lease - 1)).isEmpty)
            again = try await db.claimDueMail(now: now.addingTimeInterval(MailRetry.lease))
        }
        #expect(again.map(\.id) == interrupted.map(\.id))
        try await db.markMailSent(id: try #require(again.first).id, now: now)
        #expect(try await db.requeueInterruptedMail(now: now) == 0)
        #expect(try await db.claimDueMail(now: now.addingTimeInterval(86_400)).isEmpty)
        #expect(try await db.purgeOldMail(before: now.addingTimeInterval(1)) == 3)
    }

    @Test func theWorkerRetriesAFailedDeliveryAndSendsOnce() async throws {
        let app = try await TestApp(athletes: 2)
        let transport = RecordingTransport(failures: 1)
        let service = MailService(deps: app.deps, transport: transport, logger: Logger(label: "test"))
        #expect(try await app.database.enqueueMail(mail("w1", to: "x@example.org"), now: TestApp.now))
        await service.deliverDue()
        #expect(transport.messages.isEmpty)
        #expect(try await app.database.outbox().first?.attempts == 1)
        app.clock.advance(days: 1)
        await service.deliverDue()
        await service.deliverDue()
        #expect(transport.messages.count == 1 && transport.messages[0].0.recipient == "x@example.org")
        #expect(try await app.database.outbox().first?.status == "sent")
    }
}
