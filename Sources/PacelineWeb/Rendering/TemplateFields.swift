import Foundation

// Hand-written template fields for the types of the athlete home page and the layout, the most
// requested page (see docs/BENCHMARKS.md). `TemplateFieldsTests` checks each list against the
// type's stored properties, so a forgotten field fails a test rather than a page.

extension View: TemplateFields {
    var templateFields: [String: Any] { ["page": page, "app": app] }
}

extension Chrome: TemplateFields {
    var templateFields: [String: Any] {
        var out: [String: Any] = [
            "title": title, "csrf": csrf, "signedIn": signedIn, "userName": userName, "nav": nav,
            "organizations": organizations,
            "hasOrganizationSwitch": hasOrganizationSwitch, "requestId": requestId, "account": account,
            "logout": logout,
            "signup": signup, "login": login, "csrfField": csrfField,
        ]
        if let flash { out["flash"] = flash }
        if let org { out["org"] = org }
        return out
    }
}

extension Chrome.Link: TemplateFields {
    var templateFields: [String: Any] { ["label": label, "href": href, "current": current] }
}

extension Chrome.OrgView: TemplateFields {
    var templateFields: [String: Any] {
        [
            "name": name, "slug": slug, "role": role, "home": home, "notificationsHref": notificationsHref,
            "unread": unread, "hasUnread": hasUnread, "bellLabel": bellLabel,
        ]
    }
}

extension Chrome.FlashView: TemplateFields {
    var templateFields: [String: Any] { ["message": message, "kind": kind, "isError": isError] }
}

extension AthleteHomePage: TemplateFields {
    var templateFields: [String: Any] {
        var out: [String: Any] = [
            "name": name, "todayText": todayText, "upcoming": upcoming, "plans": plans, "hasPlans": hasPlans,
            "noPlanText": noPlanText,
            "calendarHref": calendarHref, "sendToWatchHref": sendToWatchHref, "profileHref": profileHref,
            "hasVDOT": hasVDOT, "vdotHref": vdotHref,
            "checkInHref": checkInHref, "logListHref": logListHref,
        ]
        if let today { out["today"] = today }
        if let pausedNotice { out["pausedNotice"] = pausedNotice }
        return out
    }
}

extension AthleteHomePage.Upcoming: TemplateFields {
    var templateFields: [String: Any] {
        ["weekday": weekday, "date": date, "name": name, "href": href, "isRest": isRest]
    }
}

extension PlanStatus: TemplateFields {
    var templateFields: [String: Any] { ["name": name, "status": status, "statusClass": statusClass, "dates": dates] }
}

extension WorkoutView: TemplateFields {
    var templateFields: [String: Any] {
        var out: [String: Any] = [
            "id": id, "name": name, "date": date, "weekday": weekday, "href": href, "steps": steps, "totals": totals,
            "notesHTML": notesHTML,
            "hasNotes": hasNotes, "completed": completed, "doneAction": doneAction, "planName": planName, "kind": kind,
            "logHref": logHref, "doneText": doneText, "paceNote": paceNote,
        ]
        if let heat { out["heat"] = heat }
        return out
    }
}
