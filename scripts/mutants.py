#!/usr/bin/env python3
"""Mutation check (scripts/mutants.sh runs this): applies, one at a time, deliberate bugs to the
riskiest rules, builds, runs the tests that protect each rule, restores the file, and prints
killed/survived. Every mutant must be killed: a survivor is a bug the tests would let through.

    python3 scripts/mutants.py            # all
    python3 scripts/mutants.py 3 7        # only these numbers
"""
import os
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# (what the bug is, file, text to find (must occur exactly once), replacement, tests that must fail)
MUTANTS = [
    ("tenancy: joined reads no longer filtered by organization",
     "Sources/PacelineStore/Tenant.swift",
     'SQL(sql: "\\(alias).org_id = ?", arguments: [orgId])', 'SQL(sql: "(\\(alias).org_id = ? OR 1)", arguments: [orgId])',
     "SecurityTests"),
    ("tenancy: scoped requests no longer filtered by organization",
     "Sources/PacelineStore/Tenant.swift",
     'filter(Column("org_id") == orgId)', 'filter(Column("org_id") == orgId || true)',
     "SecurityTests|TenancyStructureTests"),
    ("tenancy: a role section open to any member",
     "Sources/PacelineWeb/App+build.swift",
     "let coach = member.requiring(.coach)", "let coach = member.requiring(.athlete)",
     "SecurityTests"),
    ("CSRF: uploads pass without the token",
     "Sources/PacelineWeb/Middleware/CSRFMiddleware.swift",
     "presented = request.uri.queryParameters.get(Self.fieldName)", "presented = expected",
     "LogTests"),
    ("generator: the request's rest days ignored",
     "Sources/PacelineCore/Plans/PlanGenerator.swift",
     "for day in rest { pattern[day] = .rest }", "for day in rest where false { pattern[day] = .rest }",
     "PlanGeneratorPropertyTests"),
    ("resume: done workouts move too",
     "Sources/PacelineStore/Instances.swift",
     "                                && ScheduledWorkoutRecord.Columns.completedAt == nil\n", "",
     "ResumeTests"),
    ("resume: a moved workout gets a new UID",
     "Sources/PacelineStore/Instances.swift",
     "date.set(to: date.description),\n            ScheduledWorkoutRecord.Columns.sequence += 1,\n",
     "date.set(to: date.description),\n            ScheduledWorkoutRecord.Columns.sequence += 1, Column(\"uid\").set(to: UUID().uuidString),\n",
     "ResumeTests"),
    ("adaptation: apply skips the staleness check",
     "Sources/PacelineStore/Adaptation.swift",
     'guard let row = try current(sid), row["date"] == date.description,\n'
     '                        WorkoutJSONCache.shared.workout(row["workout_json"]) == before\n',
     'guard let row = try current(sid), row["date"] == date.description\n',
     "AdaptationStoryTests"),
    ("adaptation: undo skips the staleness check",
     "Sources/PacelineStore/Adaptation.swift",
     "if let edited = try Self.editedSinceApplied(db, scope, record) {",
     "if false, let edited = try Self.editedSinceApplied(db, scope, record) {",
     "AdaptationStoryTests"),
    ("duplicates: the window widened to two minutes",
     "Sources/PacelineStore/Activities.swift",
     "public static let duplicateWindow: TimeInterval = 60", "public static let duplicateWindow: TimeInterval = 120",
     "DuplicateTests"),
    ("duplicates: any athlete's run counts",
     "Sources/PacelineStore/Activities.swift",
     "                    ActivityRecord.Columns.athleteId == athleteId\n                        && ",
     "                    ",
     "DuplicateTests"),
    ("duplicates: any sport counts",
     "Sources/PacelineStore/Activities.swift",
     "\n                        && ActivityRecord.Columns.sport == entry.sport.rawValue\n",
     "\n",
     "DuplicateTests"),
    ("Banister: the prediction's sign convention flipped",
     "Sources/PacelineCore/Adaptation/Banister.swift",
     "p0 + k1 * g1[$0] - k2 * g2[$0]", "p0 - k1 * g1[$0] + k2 * g2[$0]",
     "BanisterTests"),
    ("Banister: today's load counted today (not causal)",
     "Sources/PacelineCore/Adaptation/Banister.swift",
     "if t > 0 { g = (g + loads[t - 1]) * decay }\n            out[t] = g",
     "g = g * decay + loads[t]\n            out[t] = g",
     "BanisterTests"),
    ("log-in: the throttle lets twice as many guesses through",
     "Sources/PacelineStore/Accounts.swift",
     "public var freeFailuresPerAccountAndAddress = 5", "public var freeFailuresPerAccountAndAddress = 10",
     "LoginThrottleTests|FlowTests"),
    ("log-in: the client address taken from the first X-Forwarded-For entry",
     "Sources/PacelineWeb/Middleware/ClientAddress.swift",
     "let client = hops[hops.count - trustedProxies]", "let client = hops[0]",
     "HardeningTests"),
    ("log-in: redirects after percent-decoding not checked",
     "Sources/PacelineWeb/Routing/SiteURL.swift",
     'for form in [target, target.removingPercentEncoding ?? ""] {', "for form in [target] {",
     "HardeningTests"),
    ("numbers: a plan week moved past Int.max (week + 1 overflows)",
     "Sources/PacelineCore/Plans/PlanTemplate.swift",
     "guard weeks.indices.contains(index), (-1...1).contains(offset), weeks.indices.contains(index + offset) else {",
     "guard weeks.indices.contains(index + offset), weeks.indices.contains(index) else {",
     "RouteFuzzTests"),
    ("numbers: a workout block moved by an index from the form without a check first",
     "Sources/PacelineWeb/Forms/WorkoutForm.swift",
     "guard list.indices.contains(index), list.indices.contains(index + offset) else { return }",
     "guard list.indices.contains(index + offset), list.indices.contains(index) else { return }",
     "RouteFuzzTests"),
    ("numbers: a refused distance converted with Int(), trapping on 1e19",
     "Sources/PacelineCore/Fitness/VDOT.swift",
     'guard let whole = Int(checked: m), abs(whole) < 1_000_000_000 else { return String(format: "%.3g m", m) }',
     "let whole = Int(m.rounded())",
     "HardeningTests"),
]


def run(args, **kw):
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, **kw)


def main(selected):
    results = []
    started = time.time()
    for number, (what, path, old, new, tests) in enumerate(MUTANTS, 1):
        if selected and number not in selected:
            continue
        full = os.path.join(ROOT, path)
        original = open(full).read()
        if original.count(old) != 1:
            results.append((number, what, "NOT APPLIED (the text is not in the file exactly once)", tests))
            continue
        try:
            open(full, "w").write(original.replace(old, new))
            build = run(["swift", "build", "--build-tests"])
            if build.returncode != 0:
                outcome = "NOT COMPILED"
            else:
                test = run(["swift", "test", "--skip-build", "--filter", tests])
                outcome = "killed" if test.returncode != 0 else "SURVIVED"
        finally:
            open(full, "w").write(original)
        results.append((number, what, outcome, tests))
        print(f"{number:2d}. {outcome:8s} {what}  [{tests}]", flush=True)
    run(["swift", "build", "--build-tests"])   # leave the build as the sources are
    killed = sum(1 for r in results if r[2] == "killed")
    print(f"\n{killed} of {len(results)} mutants killed in {time.time() - started:.0f} s")
    return 0 if killed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main({int(a) for a in sys.argv[1:]}))
