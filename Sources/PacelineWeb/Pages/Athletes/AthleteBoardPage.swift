import Foundation
import PacelineCore
import PacelineStore

/// The coach's triage board (the athletes list): per athlete readiness, plan, last seven days, last
/// activity, waiting proposals and flags; searchable, filtered by group or "my athletes", sorted, paged.
struct AthleteBoardPage: Sendable {
    struct Row: Sendable {
        let name: String
        let email: String
        let href: String
        let groups: String
        let readiness: String
        let readinessLabel: String
        let readinessReason: String
        let plan: String
        let planHref: String?
        let planStatus: String
        let planStatusClass: String
        let today: String
        let compliance: String
        let complianceBand: String
        let lastActivity: String
        let proposals: String
        let proposalsHref: String
        let flags: [Flag]
    }
    struct Flag: Sendable {
        let words: String
        let cssClass: String
    }
    struct PageLink: Sendable {
        let label: String
        let href: String
        let current: Bool
    }

    enum Sort: String, CaseIterable {
        case attention, name, readiness, compliance, activity

        var label: String {
            switch self {
            case .attention: "Needs attention first"
            case .name: "Name"
            case .readiness: "Readiness (red first)"
            case .compliance: "Last 7 days (lowest first)"
            case .activity: "Last activity (oldest first)"
            }
        }
    }

    let query: String
    let rows: [Row]
    let hasRows: Bool
    let total: Int
    let shown: String
    let groups: [SelectOption]
    let sorts: [SelectOption]
    let mine: Bool
    let canFilterMine: Bool
    let pages: [PageLink]
    let hasPages: Bool
    let isAdmin: Bool
    let membersHref: String
    let action: String

    static let pageSize = 50

    struct Filter {
        var query = ""
        var groupId: Int64?
        var mine = false
        var sort = Sort.attention
        var page = 1

        init(_ request: (String) -> String) {
            query = String(request("q").trimmingCharacters(in: .whitespaces).prefix(100))
            groupId = Int64(request("group"))
            mine = request("mine") == "1"
            sort = Sort(rawValue: request("sort")) ?? .attention
            page = min(max(Int(request("page").prefix(6)) ?? 1, 1), 100_000)
        }

        func href(_ base: String, page: Int) -> String {
            var items = [URLQueryItem]()
            if !query.isEmpty { items.append(.init(name: "q", value: query)) }
            if let groupId { items.append(.init(name: "group", value: String(groupId))) }
            if mine { items.append(.init(name: "mine", value: "1")) }
            if sort != .attention { items.append(.init(name: "sort", value: sort.rawValue)) }
            if page > 1 { items.append(.init(name: "page", value: String(page))) }
            var components = URLComponents()
            components.queryItems = items
            return base + (items.isEmpty ? "" : "?" + (components.percentEncodedQuery ?? ""))
        }
    }

    /// The board's rows for `filter`, in its order (all of them: the caller pages).
    static func rows(
        _ all: [AthleteTriage], filter: Filter, coachUserId: Int64, today: CalendarDate
    ) -> [AthleteTriage] {
        let needle = filter.query.lowercased()
        let matching = all.filter { athlete in
            (needle.isEmpty || athlete.name.lowercased().contains(needle)
                || athlete.email.lowercased().contains(needle))
                && (filter.groupId.map { athlete.groupIds.contains($0) } ?? true)
                && (!filter.mine || athlete.coachUserIds.contains(coachUserId))
        }
        func byName(_ a: AthleteTriage, _ b: AthleteTriage) -> Bool {
            a.name.localizedCaseInsensitiveCompare(b.name) == .orderedAscending
        }
        func rank(_ level: ReadinessLevel?) -> Int {
            switch level { case .red?: 0; case .amber?: 1; case .green?: 2; case nil: 3 }
        }
        switch filter.sort {
        case .name: return matching.sorted(by: byName)
        case .attention:
            let scores = Dictionary(matching.map { ($0.id, $0.attention(today: today)) }, uniquingKeysWith: max)
            return matching.sorted { (scores[$0.id] ?? 0, $1.name) > (scores[$1.id] ?? 0, $0.name) }
        case .readiness:
            return matching.sorted {
                rank($0.readiness) == rank($1.readiness) ? byName($0, $1) : rank($0.readiness) < rank($1.readiness)
            }
        case .compliance:
            func rate(_ a: AthleteTriage) -> Double { a.compliance.sessionRate ?? 2 }
            return matching.sorted { rate($0) == rate($1) ? byName($0, $1) : rate($0) < rate($1) }
        case .activity:
            func last(_ a: AthleteTriage) -> CalendarDate { a.lastActivity ?? .earliest }
            return matching.sorted { last($0) == last($1) ? byName($0, $1) : last($0) < last($1) }
        }
    }

    static func load(_ database: AppDatabase, _ context: TenantContext, today: CalendarDate, filter: Filter)
        async throws -> AthleteBoardPage
    {
        let urls = SiteURL.org(context.slug)
        let all = try await database.triage(context.scope, today: today)
        let groups = try await database.groups(context.scope)
        let ordered = rows(all, filter: filter, coachUserId: context.scope.user.id, today: today)
        let pageCount = max(1, (ordered.count + pageSize - 1) / pageSize)
        let page = min(filter.page, pageCount)
        let slice = ordered.dropFirst((page - 1) * pageSize).prefix(pageSize)
        let first = ordered.isEmpty ? 0 : (page - 1) * pageSize + 1
        return AthleteBoardPage(
            query: filter.query, rows: slice.map { Self.row($0, urls: urls, today: today) }, hasRows: !slice.isEmpty,
            total: all.count,
            shown: ordered.isEmpty ? "" : "\(first)–\(first + slice.count - 1) of \(ordered.count)",
            groups: [SelectOption(value: "", label: "All groups", selected: filter.groupId == nil)]
                + groups.map {
                    SelectOption(value: String($0.id), label: $0.name, selected: $0.id == filter.groupId)
                },
            sorts: Sort.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == filter.sort) },
            mine: filter.mine, canFilterMine: context.role.includes(.coach),
            pages: pageCount > 1
                ? (1...pageCount).map {
                    PageLink(label: String($0), href: filter.href(urls.athletes, page: $0), current: $0 == page)
                } : [],
            hasPages: pageCount > 1, isAdmin: context.role.includes(.admin), membersHref: urls.members,
            action: urls.athletes)
    }

    static func row(_ a: AthleteTriage, urls: SiteURL.Org, today: CalendarDate) -> Row {
        let c = a.compliance
        let lastActivity: String
        if let last = a.lastActivity {
            let days = last.days(until: today)
            lastActivity = days <= 0 ? "Today" : days == 1 ? "Yesterday" : "\(days) days ago"
        } else {
            lastActivity = "None yet"
        }
        return Row(
            name: a.name, email: a.email, href: urls.athlete(a.id), groups: a.groupNames.joined(separator: ", "),
            readiness: a.readiness?.rawValue ?? "unknown", readinessLabel: a.readiness?.label ?? "Not known",
            readinessReason: a.readinessReason.map { Voice.thirdPerson($0) } ?? "",
            plan: a.planName ?? "No plan", planHref: a.instanceId.map(urls.instance),
            planStatus: a.planStatus?.label ?? "—", planStatusClass: a.planStatus?.rawValue ?? "none",
            today: a.today ?? (a.planStatus == .active ? "Rest" : "—"),
            compliance: c.planned == 0 ? "Nothing planned" : "\(c.completed) of \(c.planned) · \(c.band.label)",
            complianceBand: c.planned == 0 ? "none" : c.band.rawValue, lastActivity: lastActivity,
            proposals: a.pendingProposals == 0 ? "" : String(a.pendingProposals),
            proposalsHref: urls.athleteForm(a.id),
            flags: a.flags(today: today).map { Flag(words: $0.words, cssClass: $0.cssClass) })
    }
}
