import Foundation
import PacelineCore
import PacelineStore

/// A comment thread under a workout or an activity: each message (Markdown through cmark, safe), who
/// wrote it, what is new to this reader, and the forms — write, edit one's own within 15 minutes,
/// delete one's own.
struct CommentThread: Sendable {
    struct Message: Sendable {
        let id: Int64
        let anchor: String
        let author: String
        let role: String
        let when: String
        let html: SafeHTML
        let isUnread: Bool
        let isOwn: Bool
        let canEdit: Bool
        let body: String
        let editAction: String
        let deleteAction: String
        let editId: String
    }
    let messages: [Message]
    let unread: Int
    let action: String
    let body: Field
    let summary: String?
    /// The prompt above the box: an athlete who has logged is asked how it felt.
    let prompt: String

    static let empty = CommentThread(messages: [], unread: 0, action: "", body: Field(), summary: nil, prompt: "")

    init(
        messages: [Message], unread: Int, action: String, body: Field, summary: String?, prompt: String
    ) {
        self.messages = messages
        self.unread = unread
        self.action = action
        self.body = body
        self.summary = summary
        self.prompt = prompt
    }

    init(
        _ comments: [Comment], scope: TenantScope, action: String, urls: SiteURL.Org, formatter: DateFormatter,
        now: Date, prompt: String, typed: String = "", error: String? = nil
    ) {
        messages = comments.map { c in
            let own = c.authorId == scope.user.id
            return Message(
                id: c.id, anchor: "comment-\(c.id)", author: own ? "You" : c.authorName,
                role: c.byCoach ? "coach" : "athlete",
                when: formatter.string(from: c.createdAt) + (c.editedAt == nil ? "" : " (edited)"),
                html: Markdown.html(c.body), isUnread: c.isUnread, isOwn: own,
                canEdit: own && now.timeIntervalSince(c.createdAt) <= AppDatabase.commentEditWindow, body: c.body,
                editAction: urls.comment(c.id, "edit"), deleteAction: urls.comment(c.id, "delete"),
                editId: "comment-edit-\(c.id)")
        }
        unread = comments.filter(\.isUnread).count
        self.action = action
        body = Field(typed, error: error)
        summary = error.map { _ in "Please correct the field marked below." }
        self.prompt = prompt
    }
}
